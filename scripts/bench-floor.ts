// `npm run bench:floor`: the least the slot-reuse chain can take on this machine. Two bare processes do
// only the hops that chain is made of, with no service logic: a webhook arrives over HTTP at "tracking",
// which publishes it to a JetStream stream; "dialer" consumes it, writes a KV entry by compare-and-set
// (the slot), publishes a claim and sends the next call request over HTTP to this process. The delay
// from sending the webhook to receiving the call request is printed as p50 / p90 / p99, to compare with
// `npm run bench`'s slot reuse delay. Not part of CI.
//   FLOOR_RATE (16 per second, about `npm run bench` with limit 50 and 2-4 s calls), FLOOR_COUNT (2000)
import { ChildProcess, fork } from 'child_process';
import { createServer, request, Agent, IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { cpus } from 'os';
import { AckPolicy, connect, JsMsg, KV, NatsConnection, StringCodec } from 'nats';
import { startTestServers } from '../libs/testing/servers';
import { percentiles } from './bench/stage-figures';

const STREAM = 'FLOOR';
const sc = StringCodec();
const agent = new Agent({ keepAlive: true });

function post(port: number, path: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function listen(handle: (body: string) => Promise<void>): Promise<number> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => void handle(body).then(() => res.end('OK'), () => ((res.statusCode = 500), res.end())));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** "tracking": webhook in, event published (and stored) before the answer. */
async function tracking(nc: NatsConnection): Promise<void> {
  const js = nc.jetstream();
  const port = await listen(async (id) => {
    await js.publish(`floor.ended.${id}`, sc.encode(id), { msgID: `ended-${id}` });
  });
  process.send!({ port });
}

/** "dialer": event consumed, slot written by compare-and-set, claim published, call requested. */
async function dialer(nc: NatsConnection, simulatorPort: number): Promise<void> {
  const js = nc.jetstream();
  const kv: KV = await js.views.kv('floor_slots');
  let revision = await kv.put('slot', sc.encode('0'));
  const consumer = await js.consumers.get(STREAM, 'dialer');
  const messages = await consumer.consume({ max_messages: 100 });
  process.send!({ ready: true });
  for await (const msg of messages) void handle(msg);

  async function handle(msg: JsMsg): Promise<void> {
    const id = sc.decode(msg.data);
    for (;;) {
      try {
        revision = await kv.update('slot', sc.encode(id), revision);
        break;
      } catch {
        revision = (await kv.get('slot'))!.revision;
      }
    }
    await js.publish(`floor.claimed.${id}`, sc.encode(id), { msgID: `claimed-${id}` });
    msg.ack();
    await post(simulatorPort, '/call', id);
  }
}

function child(role: string, natsUrl: string, simulatorPort: number): Promise<{ process: ChildProcess; port?: number }> {
  const proc = fork(__filename, [role, natsUrl, String(simulatorPort)]);
  return new Promise((resolve) => proc.once('message', (m: { port?: number }) => resolve({ process: proc, port: m.port })));
}

async function main(): Promise<void> {
  const rate = Number(process.env.FLOOR_RATE ?? 16);
  const count = Number(process.env.FLOOR_COUNT ?? 2000);
  const servers = await startTestServers();
  const nc = await connect({ servers: servers.natsUrl });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: STREAM, subjects: ['floor.>'] });
  await jsm.consumers.add(STREAM, { durable_name: 'dialer', filter_subject: 'floor.ended.>', ack_policy: AckPolicy.Explicit });
  await nc.jetstream().views.kv('floor_slots');

  const sentAt = new Map<string, number>();
  const delays: number[] = [];
  let done!: () => void;
  const allDone = new Promise<void>((resolve) => (done = resolve));
  const simulatorPort = await listen(async (id) => {
    delays.push(performance.now() - sentAt.get(id)!);
    if (delays.length === count) done();
  });
  const children = [await child('dialer', servers.natsUrl, simulatorPort), await child('tracking', servers.natsUrl, simulatorPort)];
  const trackingPort = children[1].port!;

  const started = performance.now();
  for (let i = 0; i < count; i++) {
    // Evenly spaced, as calls of random length end.
    const due = started + (i * 1000) / rate;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    const id = String(i);
    sentAt.set(id, performance.now());
    void post(trackingPort, '/hangup', id);
  }
  await allDone;
  const p = percentiles(delays.map((d) => Math.round(d * 10) / 10));
  console.log(`floor of the slot-reuse chain: ${count} at ${rate} per second on ${cpus().length} cores`);
  console.log(`  webhook -> call request   p50 ${p.p50}  p90 ${p.p90}  p99 ${p.p99} ms  (n ${p.n})`);
  children.forEach((c) => c.process.kill());
  await nc.close();
  await servers.stop();
}

async function runChild(role: string, natsUrl: string, simulatorPort: number): Promise<void> {
  // Ends with the bench, however it ends.
  process.on('disconnect', () => process.exit(0));
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  if (role === 'tracking') await tracking(nc);
  else await dialer(nc, simulatorPort);
}

if (process.argv[2]) void runChild(process.argv[2], process.argv[3], Number(process.argv[4]));
else
  main().then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );

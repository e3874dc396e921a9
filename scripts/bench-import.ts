// `npm run bench:import`: starts the real services, streams a generated CSV of BENCH_IMPORT_ROWS
// contacts (default 1,000,000) into one campaign and prints contacts per second as accepted by the
// API and as projected into the contacts read model, and the peak RSS of every process.
// Not part of CI: figures depend on the machine.
//   BENCH_IMPORT_ROWS (1000000), BENCH_IMPORT_TIMEOUT_MIN (120)
import { request } from 'http';
import { readFileSync } from 'fs';
import { Readable } from 'stream';
import { MongoClient } from 'mongodb';
import { connect } from 'nats';
import { Subjects } from '../contracts/subjects';
import { ApiClient } from '../libs/testing/api-client';
import { startTestServers } from '../libs/testing/servers';
import { startStack } from '../libs/testing/stack';
import { waitFor } from '../libs/testing/wait-for';

const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const timeoutMs = Number(process.env.BENCH_IMPORT_TIMEOUT_MIN ?? 120) * 60_000;
const AREA_CODES = ['415', '510', '650', '408', '707', '925', '831', '209', '559', '916'];

/** Row i of the generated file: a unique valid US number, a name, an email and one custom column. */
function csvLine(i: number): string {
  const number = `+1${AREA_CODES[Math.floor(i / 1_000_000) % AREA_CODES.length]}${2_000_000 + (i % 1_000_000)}`;
  return `${number},Contact ${i},c${i}@example.com,${i % 3 === 0 ? 'gold' : 'silver'}\n`;
}

/** The CSV as a stream, generated as it is read (never held whole). */
function generatedCsv(count: number): Readable {
  let i = 0;
  return new Readable({
    read() {
      if (i === 0) this.push('phoneNumber,name,email,plan\n');
      let piece = '';
      while (i < count && piece.length < 64 * 1024) piece += csvLine(i++);
      if (piece) this.push(piece);
      if (i >= count) this.push(null);
    },
  });
}

function upload(url: string, apiKey: string, body: Readable): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'text/csv' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

function peakRssMb(pid: number | undefined): number {
  if (!pid) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Math.round(Number(line?.split(/\s+/)[1]) / 1024);
}

async function main() {
  const servers = await startTestServers();
  const stack = await startStack({
    natsUrl: servers.natsUrl,
    mongoUrl: servers.mongoUrl,
    env: { LOG_LEVEL: 'error', MAX_UPLOAD_BYTES: String(4 * 1024 ** 3), RPC_TIMEOUT_MS: '180000' },
    simulatorEnv: { LOG_LEVEL: 'error' },
  });
  const nc = await connect({ servers: servers.natsUrl });
  try {
    const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
    const created = await admin.post<{ id: string; apiKey: string }>('/clients', { name: 'bench-import' });
    const apiKey = created.body.apiKey;
    const api = admin.withKey(apiKey);
    await waitFor(async () => (await api.get('/campaigns')).status === 200, { timeoutMs: 10_000 });
    const campaign = await api.post('/campaigns', { name: 'import', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s' });
    const id = campaign.body.id as string;

    const started = Date.now();
    const answer = await upload(`${stack.gatewayUrl}/api/v1/campaigns/${id}/contacts`, apiKey, generatedCsv(rows));
    const acceptedAfterMs = Date.now() - started;
    if (answer.status !== 200) throw new Error(`upload failed: ${answer.status} ${JSON.stringify(answer.body)}`);

    // Projected: the campaigns processor has acknowledged everything on the campaign's contacts subject.
    const jsm = await nc.jetstreamManager();
    const subjects = new Subjects(stack.natsNamespace);
    const lastSeq = (await jsm.streams.getMessage(subjects.streams.campaigns, { last_by_subj: subjects.campaignContacts(id) })).seq;
    await waitFor(async () => (await jsm.consumers.info(subjects.streams.campaigns, 'campaigns-processor')).ack_floor.stream_seq >= lastSeq, {
      timeoutMs,
      intervalMs: 100,
      description: 'the contacts projection to catch up',
    });
    const projectedAfterMs = Date.now() - started;
    // Counted in the database itself: an API page of a campaign this large can take longer than a request may.
    const mongo = await new MongoClient(servers.mongoUrl).connect();
    const total = await mongo.db(`${stack.mongoDb}_campaigns`).collection('contacts').countDocuments({ campaignId: id }, { maxTimeMS: 30 * 60_000 });
    await mongo.close();

    const perSecond = (n: number, ms: number) => (n / (ms / 1000)).toFixed(0);
    console.log(`rows uploaded:             ${rows} (CSV: phoneNumber,name,email,plan)`);
    console.log(`answer:                    accepted ${answer.body.accepted}, duplicates ${answer.body.duplicates}, rejected ${answer.body.rejectedCount}`);
    console.log(`accepted by the API:       ${(acceptedAfterMs / 1000).toFixed(1)} s, ${perSecond(answer.body.accepted, acceptedAfterMs)} contacts/s`);
    console.log(`projected (read model):    ${(projectedAfterMs / 1000).toFixed(1)} s, ${perSecond(total, projectedAfterMs)} contacts/s (${total} contacts in the read model)`);
    for (const [name, proc] of stack.processes) console.log(`peak RSS ${name.padEnd(14)}    ${peakRssMb(proc.pid)} MB`);
  } finally {
    await nc.close();
    await stack.stop();
    await servers.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

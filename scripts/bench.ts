// `npm run bench`: runs the real services against the Plivo simulator and prints slot utilisation,
// call rate, slot-reuse delay, where a slot's time goes between calls, CPU per call and peak memory
// per process. Not part of CI: figures depend on the machine (and on what else runs on it).
//   BENCH_CONTACTS (1000), BENCH_LIMIT (20), BENCH_TALK_MS ("200-400"), BENCH_DIALERS (1), PLIVO_MAX_CPS (1000)
//   Any other service setting passes through from the environment (e.g. FEED_DEPTH_PER_SLOT, DIALER_LANES_PER_CAMPAIGN).
//   BENCH_WARMUP_CONTACTS (0): a campaign of that many contacts runs to completion first, unmeasured, so that
//   the figures are those of warmed-up processes (JIT-compiled, connections and caches filled), as in production.
//   BENCH_DUMP=<file> writes the raw per-call times and slot spans as JSON.
//   BENCH_MONGO_URL=<url> puts the read models on that MongoDB-wire server instead of the test servers' one
//   (e.g. a MongoDB, or tools/mongo-java-server/run.sh where none can run: FerretDB 1.x on SQLite reads a
//   whole collection for every update, and that, not the services, then sets the figures).
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { connect } from 'nats';
import { Subjects } from '../contracts/subjects';
import { startTestServers } from '../libs/testing/servers';
import { startStack } from '../libs/testing/stack';
import { waitFor } from '../libs/testing/wait-for';
import { CallRecord, SimulatorClient } from '../tools/plivo-simulator/src/client';
import { ApiClient, registerClient } from '../libs/testing/api-client';
import { callEventTimes } from './bench/call-event-times';
import { slotFigures } from './bench/slot-figures';
import { SlotTimeline } from './bench/slot-timeline';
import { CallTimes, idleAfterFree, Percentiles, stageFigures } from './bench/stage-figures';
import { listeningPid } from './bench/listening-pid';
import { dropDatabases } from './bench/drop-database';
import { cpuSeconds, peakRssMb } from './bench/process-stats';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const contacts = Number(env('BENCH_CONTACTS', '1000'));
const limit = Number(env('BENCH_LIMIT', '20'));
const talk = env('BENCH_TALK_MS', '200-400');
const dialers = Number(env('BENCH_DIALERS', '1'));
const warmupContacts = Number(env('BENCH_WARMUP_CONTACTS', '0'));
const cps = env('PLIVO_MAX_CPS', '1000');

const callIdOfRecord = (c: CallRecord) => decodeURIComponent(/\/plivo\/[^/]+\/([^/]+)\/answer/.exec(c.request.answer_url)![1]);
const fmt = (p: Percentiles) => `p50 ${String(p.p50).padStart(5)}  p90 ${String(p.p90).padStart(5)}  p99 ${String(p.p99).padStart(5)} ms  (n ${p.n})`;

/** The database commands that took the most server time, from the write-serialising proxy's profile (local FerretDB only). */
function printDatabaseProfile(file: string): void {
  if (!existsSync(file)) return;
  const rows = JSON.parse(readFileSync(file, 'utf8')) as { shape: string; n: number; totalMs: number; meanMs: number }[];
  console.log(`\ndatabase: server time per command shape (request to reply, writes of one database one at a time)`);
  for (const r of rows.slice(0, 8)) {
    const shape = r.shape.replace(/^[^.]*?_(campaigns|call_tracking|scheduler|gateway)\./, '$1.');
    console.log(`  ${String(r.totalMs).padStart(7)} ms  ${String(r.n).padStart(6)} x ${r.meanMs.toFixed(1).padStart(7)} ms  ${shape}`);
  }
}

/** A campaign with `count` contacts, returned once they are all in the read model, as after an upload: the figures are the dialling's, not the import's. */
async function createCampaign(api: ApiClient, name: string, count: number, firstNumber: number): Promise<string> {
  const campaign = await api.post('/campaigns', { name, fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', settings: { concurrentCallsLimit: limit } });
  const id = campaign.body.id as string;
  await waitFor(async () => (await api.get(`/campaigns/${id}`)).status === 200, { timeoutMs: 10_000, description: 'the campaign to be readable' });
  for (let i = 0; i < count; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, count - i) }, (_, k) => ({ phoneNumber: `+1415${String(firstNumber + i + k).padStart(7, '0')}` }));
    await api.post(`/campaigns/${id}/contacts`, { contacts: batch });
  }
  await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign?.totalContacts === count, {
    timeoutMs: 10 * 60_000,
    intervalMs: 500,
    description: 'every contact to be in the read model',
  });
  return id;
}

async function main() {
  // Read by the write-serialising proxy in front of a local FerretDB (see libs/testing/wire-profile.ts).
  const profileFile = (process.env.MONGO_WIRE_PROFILE ??= join(tmpdir(), `bench-db-profile-${process.pid}.json`));
  const servers = await startTestServers();
  const stack = await startStack({
    natsUrl: servers.natsUrl,
    mongoUrl: process.env.BENCH_MONGO_URL ?? servers.mongoUrl,
    dialerReplicas: dialers,
    env: { PLIVO_MAX_CPS: cps, GLOBAL_MAX_CALLS: String(limit * 2), LOG_LEVEL: 'error' },
    simulatorEnv: { SIM_RING_MS: '0-0', SIM_TALK_MS: talk, SIM_TIME_SCALE: '1', LOG_LEVEL: 'error' },
  });
  const nc = await connect({ servers: servers.natsUrl });
  try {
    const subjects = new Subjects(stack.natsNamespace);
    const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
    const { api } = await registerClient(admin, 'bench', limit * 2);
    // The runtime entry, not /progress: counting contacts on every poll would load the database under test.
    const runtime = await nc.jetstream().views.kv(subjects.buckets.campaignRuntime);
    const start = async (campaignId: string) => {
      await api.post(`/campaigns/${campaignId}/start`);
      await waitFor(async () => (await runtime.get(campaignId))?.json<{ status: string }>().status === 'completed', {
        timeoutMs: 30 * 60_000,
        intervalMs: 200,
        description: 'the campaign to complete',
      });
    };
    if (warmupContacts > 0) await start(await createCampaign(api, 'warm-up', warmupContacts, 3_000_000));
    const id = await createCampaign(api, 'bench', contacts, 2_000_000);
    const timeline = new SlotTimeline(await nc.jetstream().views.kv(subjects.buckets.slots, { history: 1 }), `campaign.${id}`);
    await timeline.start();
    // The servers count too: they share the cores with the services.
    const portOf = (url: string) => Number(new URL(url).port);
    const pids = new Map<string, number | undefined>([
      ...[...stack.processes].map(([name, proc]) => [name, proc.pid] as const),
      ['nats-server', listeningPid(portOf(servers.natsUrl))],
      ['database', listeningPid(portOf(process.env.BENCH_MONGO_URL ?? servers.mongoUrl))],
    ]);
    const cpuBefore = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid)]));
    const started = Date.now();
    await start(id);
    const completedAfterMs = Date.now() - started;
    const cpu = new Map([...pids].map(([name, pid]) => [name, cpuSeconds(pid) - cpuBefore.get(name)!]));
    await new Promise((r) => setTimeout(r, 500)); // the last slot releases
    const spans = timeline.stop();
    const record = await new SimulatorClient(stack.simulatorUrl!).calls({ answerUrlContains: id });
    const events = await callEventTimes(nc.jetstream(), await nc.jetstreamManager(), subjects.streams.calls, (kind) => subjects.callEvent(id, '*', kind));

    const spansByCall = new Map<string, { takenAt: number; freedAt?: number }[]>();
    for (const span of spans) {
      const callId = span.holder.split('@')[0];
      spansByCall.set(callId, [...(spansByCall.get(callId) ?? []), span]);
    }
    const calls: CallTimes[] = record.map((c) => {
      const callId = callIdOfRecord(c);
      const held = spansByCall.get(callId) ?? [];
      const freed = held.map((s) => s.freedAt);
      return {
        callId,
        slotTakenAt: held.length ? Math.min(...held.map((s) => s.takenAt)) : undefined,
        claimedAt: events.get(callId)?.requestedAt,
        plivoRequestAt: c.liveFrom,
        hangupAt: c.liveTo ?? undefined,
        endedAt: events.get(callId)?.endedAt,
        slotFreedAt: held.length && freed.every((f) => f !== undefined) ? Math.max(...(freed as number[])) : undefined,
      };
    });

    if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ startedAt: started, spans, calls }));
    const figures = slotFigures(record.map((c) => ({ from: c.liveFrom, to: c.liveTo! })), limit);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`\n=== bench: ${contacts} contacts, limit ${limit}, talk ${talk} ms, ring 0 ms, ${dialers} dialer(s), PLIVO_MAX_CPS ${cps}`);
    if (warmupContacts > 0) console.log(`    measured after a warm-up campaign of ${warmupContacts} contacts`);
    console.log(`    machine: load average ${load} (1/5/15 min) on ${require('os').cpus().length} cores at the end`);
    console.log(`calls placed:            ${figures.calls} (max live ${figures.maxLive})`);
    console.log(`makespan:                ${(figures.makespanMs / 1000).toFixed(1)} s (campaign completed ${(completedAfterMs / 1000).toFixed(1)} s after start)`);
    console.log(`slot utilisation:        ${figures.utilisation.toFixed(3)}`);
    console.log(`call starts per second:  ${figures.callStartsPerSecond.toFixed(1)}`);
    console.log(`slot reuse delay:        p50 ${figures.reuseP50} ms, p99 ${figures.reuseP99} ms   (a call's end -> the next request on the slot it freed, simulator clock)`);
    console.log(`\nwhere a call's time goes (stream, KV watch and simulator timestamps):`);
    for (const { stage, figures: p } of stageFigures(calls)) console.log(`  ${stage.padEnd(36)} ${fmt(p)}`);
    console.log(`  ${'slot freed -> next slot taken'.padEnd(36)} ${fmt(idleAfterFree(spans))}`);
    console.log(`\nper process: CPU during the campaign, CPU per call, peak RSS`);
    for (const [name, pid] of pids) {
      const seconds = cpu.get(name)!;
      console.log(`  ${name.padEnd(14)} ${seconds.toFixed(1).padStart(6)} s  ${((seconds * 1000) / figures.calls).toFixed(1).padStart(6)} ms/call  ${String(peakRssMb(pid)).padStart(5)} MB`);
    }
    const total = [...cpu.values()].filter((s) => !Number.isNaN(s)).reduce((a, b) => a + b, 0);
    console.log(`  ${'all'.padEnd(14)} ${total.toFixed(1).padStart(6)} s  ${((total * 1000) / figures.calls).toFixed(1).padStart(6)} ms/call`);
  } finally {
    await nc.close();
    await stack.stop();
    if (process.env.BENCH_MONGO_URL) await dropDatabases(process.env.BENCH_MONGO_URL, stack.mongoDb);
    await servers.stop();
  }
  printDatabaseProfile(profileFile);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

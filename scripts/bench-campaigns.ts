// `npm run bench:campaigns`: many campaigns of one client at once on one dialer; prints how long they
// took and the CPU per call of the dialer and of every process. Not part of CI: figures depend on the machine.
//   BENCH_CAMPAIGNS (25), BENCH_CONTACTS_PER_CAMPAIGN (40), BENCH_LIMIT (3, per campaign), BENCH_TALK_MS ("2000-4000")
//   BENCH_MONGO_URL=<url>: the read models on that MongoDB-wire server (see scripts/bench.ts).
import { ApiClient, registerClient } from '../libs/testing/api-client';
import { startTestServers } from '../libs/testing/servers';
import { startStack } from '../libs/testing/stack';
import { waitFor } from '../libs/testing/wait-for';
import { cpuSeconds } from './bench/process-stats';
import { dropDatabases } from './bench/drop-database';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const campaigns = Number(env('BENCH_CAMPAIGNS', '25'));
const perCampaign = Number(env('BENCH_CONTACTS_PER_CAMPAIGN', '40'));
const limit = Number(env('BENCH_LIMIT', '3'));
const talk = env('BENCH_TALK_MS', '2000-4000');

async function main() {
  const servers = await startTestServers();
  const total = campaigns * limit;
  const stack = await startStack({
    natsUrl: servers.natsUrl,
    mongoUrl: process.env.BENCH_MONGO_URL ?? servers.mongoUrl,
    env: { PLIVO_MAX_CPS: '1000', GLOBAL_MAX_CALLS: String(total), LOG_LEVEL: 'error' },
    simulatorEnv: { SIM_RING_MS: '0-0', SIM_TALK_MS: talk, SIM_TIME_SCALE: '1', LOG_LEVEL: 'error' },
  });
  try {
    const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
    const { api } = await registerClient(admin, 'bench-campaigns', total);
    const ids: string[] = [];
    for (let c = 0; c < campaigns; c++) {
      const created = await api.post('/campaigns', { name: `c${c}`, fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', settings: { concurrentCallsLimit: limit } });
      const id = created.body.id as string;
      ids.push(id);
      const contacts = Array.from({ length: perCampaign }, (_, k) => ({ phoneNumber: `+1415${String(2_000_000 + c * perCampaign + k).padStart(7, '0')}` }));
      await api.post(`/campaigns/${id}/contacts`, { contacts });
    }
    for (const id of ids) {
      await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign?.totalContacts === perCampaign, { timeoutMs: 60_000, description: 'contacts in the read model' });
    }
    const before = new Map([...stack.processes].map(([name, proc]) => [name, cpuSeconds(proc.pid)]));
    const started = Date.now();
    for (const id of ids) await api.post(`/campaigns/${id}/start`);
    await waitFor(async () => (await Promise.all(ids.map(async (id) => (await api.get(`/campaigns/${id}`)).body.status))).every((s) => s === 'completed'), {
      timeoutMs: 30 * 60_000,
      intervalMs: 1_000,
      description: 'every campaign to complete',
    });
    const seconds = (Date.now() - started) / 1000;
    const calls = campaigns * perCampaign;
    const used = new Map([...stack.processes].map(([name, proc]) => [name, cpuSeconds(proc.pid) - before.get(name)!]));
    const all = [...used.values()].reduce((a, b) => a + b, 0);
    console.log(`\n=== bench:campaigns: ${campaigns} campaigns x ${perCampaign} contacts, limit ${limit} each, talk ${talk} ms, 1 dialer`);
    console.log(`completed in ${seconds.toFixed(1)} s (${(calls / seconds).toFixed(1)} calls/s)`);
    console.log(`dialer CPU ${used.get('dialer-1')!.toFixed(1)} s: ${((used.get('dialer-1')! * 1000) / calls).toFixed(1)} ms per call`);
    console.log(`all services and simulator: ${((all * 1000) / calls).toFixed(1)} ms per call`);
  } finally {
    await stack.stop();
    if (process.env.BENCH_MONGO_URL) await dropDatabases(process.env.BENCH_MONGO_URL, stack.mongoDb);
    await servers.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

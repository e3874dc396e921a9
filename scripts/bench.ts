// `npm run bench`: runs the real services against the Plivo simulator and prints slot utilisation,
// call rate, slot-reuse delay and peak memory per process. Not part of CI: figures depend on the machine.
//   BENCH_CONTACTS (1000), BENCH_LIMIT (20), BENCH_TALK_MS ("200-400"), BENCH_DIALERS (1), PLIVO_MAX_CPS (1000)
import { readFileSync } from 'fs';
import { startTestServers } from '../libs/testing/servers';
import { startStack } from '../libs/testing/stack';
import { waitFor } from '../libs/testing/wait-for';
import { SimulatorClient } from '../tools/plivo-simulator/src/client';
import { ApiClient, registerClient } from '../libs/testing/api-client';
import { slotFigures } from './bench/slot-figures';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const contacts = Number(env('BENCH_CONTACTS', '1000'));
const limit = Number(env('BENCH_LIMIT', '20'));
const talk = env('BENCH_TALK_MS', '200-400');
const dialers = Number(env('BENCH_DIALERS', '1'));
const cps = env('PLIVO_MAX_CPS', '1000');

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
    dialerReplicas: dialers,
    env: { PLIVO_MAX_CPS: cps, GLOBAL_MAX_CALLS: String(limit * 2), LOG_LEVEL: 'error' },
    simulatorEnv: { SIM_RING_MS: '0-0', SIM_TALK_MS: talk, SIM_TIME_SCALE: '1', LOG_LEVEL: 'error' },
  });
  try {
    const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
    const { api } = await registerClient(admin, 'bench', limit * 2);
    const campaign = await api.post('/campaigns', { name: 'bench', fromNumber: '+14155550100', wssUrl: 'wss://bot.example.com/s', settings: { concurrentCallsLimit: limit } });
    const id = campaign.body.id as string;
    for (let i = 0; i < contacts; i += 5000) {
      const batch = Array.from({ length: Math.min(5000, contacts - i) }, (_, k) => ({ phoneNumber: `+1415${String(2000000 + i + k).padStart(7, '0')}` }));
      await api.post(`/campaigns/${id}/contacts`, { contacts: batch });
    }
    const started = Date.now();
    await api.post(`/campaigns/${id}/start`);
    await waitFor(async () => (await api.get(`/campaigns/${id}/progress`)).body.campaign.status === 'completed', {
      timeoutMs: 30 * 60_000,
      intervalMs: 200,
      description: 'the campaign to complete',
    });
    const completedAfterMs = Date.now() - started;
    const record = await new SimulatorClient(stack.simulatorUrl!).calls({ answerUrlContains: id });
    const figures = slotFigures(record.map((c) => ({ from: c.liveFrom, to: c.liveTo! })), limit);
    console.log(`setup: ${contacts} contacts, limit ${limit}, talk ${talk} ms, ring 0 ms, ${dialers} dialer(s), PLIVO_MAX_CPS ${cps}`);
    console.log(`calls placed:            ${figures.calls} (max live ${figures.maxLive})`);
    console.log(`makespan:                ${(figures.makespanMs / 1000).toFixed(1)} s (campaign completed ${(completedAfterMs / 1000).toFixed(1)} s after start)`);
    console.log(`slot utilisation:        ${figures.utilisation.toFixed(3)}`);
    console.log(`call starts per second:  ${figures.callStartsPerSecond.toFixed(1)}`);
    console.log(`slot reuse delay:        p50 ${figures.reuseP50} ms, p99 ${figures.reuseP99} ms`);
    for (const [name, proc] of stack.processes) console.log(`peak RSS ${name.padEnd(14)} ${peakRssMb(proc.pid)} MB`);
  } finally {
    await stack.stop();
    await servers.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

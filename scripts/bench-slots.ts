// `npm run bench:slots`: what one round of slot writes costs the dialer as a scope fills up. A scope's
// holders are one KV entry, rewritten whole on every round, so a large limit (a big client, the global
// scope) makes every call's start and end dearer. For each scope size, the scope is filled, then calls
// end and start one round at a time; printed: wall time and dialer CPU per round, and the entry's size.
// Not part of CI.
//   SLOT_SIZES ("50,1000,5000,10000"), SLOT_ROUNDS (400)
import { connect } from 'nats';
import { callIdOf } from '../contracts/dialing/dial-job';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '../contracts/dialing/limits';
import { startTestServers } from '../libs/testing/servers';
import { KvSlotLedger } from '../services/dialer/src/slots/kv-slot-ledger';
import { holderOf } from '../services/dialer/src/slots/slot-ledger';

const sizes = (process.env.SLOT_SIZES ?? '50,1000,5000,10000').split(',').map(Number);
const rounds = Number(process.env.SLOT_ROUNDS ?? '400');
const LEASE_MS = 600_000;

/** As long as a holder id gets: a 24-character contact id, the attempt, a dialer token and its counter. */
const holder = (i: number) => holderOf(callIdOf(i.toString(16).padStart(24, 'f'), 1), `ffffffff.${10_000_000 + i}`);

async function main() {
  const servers = await startTestServers();
  const nc = await connect({ servers: servers.natsUrl });
  try {
    console.log(`=== slot rounds by scope size (${rounds} rounds each: one call ends, one starts)`);
    for (const size of sizes) {
      const kv = await nc.jetstream().views.kv(`bench_slots_${size}`, { history: 1 });
      const ledger = new KvSlotLedger(kv);
      await ledger.start();
      const scope = [{ key: 'global', limit: Math.min(size + 1, MAX_CONCURRENT_CALLS_PER_SCOPE) }];
      await Promise.all(Array.from({ length: size }, (_, i) => ledger.acquire(scope, holder(i), LEASE_MS)));
      const started = process.hrtime.bigint();
      const cpu = process.cpuUsage();
      for (let i = 0; i < rounds / 2; i++) {
        await ledger.endCalls([{ callId: holder(i).split('@')[0], scopeKeys: ['global'] }]);
        await ledger.acquire(scope, holder(size + i), LEASE_MS);
      }
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6 / rounds;
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / rounds;
      const bytes = (await kv.get('global'))!.value.length;
      console.log(`  ${String(size).padStart(6)} holders: ${wallMs.toFixed(2).padStart(6)} ms per round, ${cpuMs.toFixed(2).padStart(6)} ms CPU, entry ${(bytes / 1024).toFixed(0).padStart(4)} KB`);
      ledger.stop();
    }
  } finally {
    await nc.close();
    await servers.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

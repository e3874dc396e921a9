import { connect, NatsConnection } from 'nats';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { KvSlotLedger } from './kv-slot-ledger';
import { SlotScope } from './slot-ledger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (n: number) => Math.floor(Math.random() * n);

describe('KvSlotLedger (real NATS KV, several instances)', () => {
  const connections: NatsConnection[] = [];
  const ledgers: KvSlotLedger[] = [];

  beforeAll(async () => {
    const bucket = uniqueName('slots');
    for (let i = 0; i < 3; i++) {
      const nc = await connect({ servers: testNatsUrl() });
      connections.push(nc);
      const ledger = new KvSlotLedger(await nc.jetstream().views.kv(bucket, { history: 1 }));
      await ledger.start();
      ledgers.push(ledger);
    }
  });
  afterAll(async () => {
    ledgers.forEach((l) => l.stop());
    await Promise.all(connections.map((c) => c.close()));
  });

  it('never lets any scope exceed its limit under many concurrent workers, and gives every slot back', async () => {
    const campaigns = ['c1', 'c2', 'c3', 'c4'].map((id) => ({ key: `campaign.${id}`, limit: 1 + rand(4), client: id < 'c3' ? 'k1' : 'k2' }));
    const clients = { k1: 2 + rand(3), k2: 2 + rand(3) } as Record<string, number>;
    const globalLimit = 5;
    const live = new Map<string, number>();
    const violations: string[] = [];
    let acquired = 0;

    const enter = (scopes: SlotScope[]) =>
      scopes.forEach((s) => {
        const n = (live.get(s.key) ?? 0) + 1;
        live.set(s.key, n);
        if (n > s.limit) violations.push(`${s.key} at ${n} > ${s.limit}`);
      });
    const leave = (scopes: SlotScope[]) => scopes.forEach((s) => live.set(s.key, live.get(s.key)! - 1));

    const worker = async (w: number) => {
      for (let i = 0; i < 15; i++) {
        const campaign = campaigns[rand(campaigns.length)];
        const scopes: SlotScope[] = [
          { key: campaign.key, limit: campaign.limit },
          { key: `client.${campaign.client}`, limit: clients[campaign.client] },
          { key: 'global', limit: globalLimit },
        ];
        const ledger = ledgers[w % ledgers.length];
        const holder = `w${w}-${i}`;
        for (;;) {
          const result = await ledger.acquire(scopes, holder, 60_000);
          if (result.outcome === 'acquired') break;
          await ledger.changed(200);
        }
        enter(scopes);
        acquired++;
        await sleep(rand(15));
        leave(scopes);
        await ledger.release(
          scopes.map((s) => s.key),
          holder,
        );
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));

    expect(violations).toEqual([]);
    expect(acquired).toBe(24 * 15);
    for (const key of [...campaigns.map((c) => c.key), 'client.k1', 'client.k2', 'global']) {
      expect(await ledgers[0].usage(key)).toBe(0);
    }
  }, 120_000);

  it('is idempotent per holder and reclaims an expired lease', async () => {
    let now = 1_000;
    const nc = connections[0];
    const ledger = new KvSlotLedger(await nc.jetstream().views.kv(uniqueName('slots'), { history: 1 }), () => now);
    const scope = [{ key: 'campaign.x', limit: 1 }];
    expect((await ledger.acquire(scope, 'call-1', 500)).outcome).toBe('acquired');
    expect(await ledger.acquire(scope, 'call-1', 500)).toEqual({ outcome: 'acquired', added: [] });
    expect((await ledger.acquire(scope, 'call-2', 500)).outcome).toBe('full');
    now += 501; // call-1 never reported back: its lease ran out
    expect((await ledger.acquire(scope, 'call-2', 500)).outcome).toBe('acquired');
    await ledger.release(['campaign.x'], 'call-2');
    await ledger.release(['campaign.x'], 'call-2');
    expect(await ledger.usage('campaign.x')).toBe(0);
  });

  it('renews a lease it still holds, not one that ran out; a call end frees every holder of the call', async () => {
    let now = 1_000;
    const ledger = new KvSlotLedger(await connections[0].jetstream().views.kv(uniqueName('slots'), { history: 1 }), () => now);
    const scope = [{ key: 'campaign.y', limit: 2 }];
    expect((await ledger.acquire(scope, 'call-1@a.1', 500)).outcome).toBe('acquired');
    now += 400;
    expect(await ledger.renew(['campaign.y'], 'call-1@a.1', 500)).toBe(true);
    now += 400; // 800 ms after the take, but 400 after the renewal: still held
    expect(await ledger.holders('campaign.y')).toEqual(['call-1']);
    now += 101;
    expect(await ledger.renew(['campaign.y'], 'call-1@a.1', 500)).toBe(false);
    // Two copies of one job (a redelivery) hold a slot each; the call's end frees both.
    await ledger.acquire(scope, 'call-2@a.2', 500);
    await ledger.acquire(scope, 'call-2@b.1', 500);
    expect(await ledger.usage('campaign.y')).toBe(2);
    await ledger.release(['campaign.y'], 'call-2@b.1');
    expect(await ledger.usage('campaign.y')).toBe(1);
    await ledger.acquire(scope, 'call-2@b.2', 500);
    await ledger.releaseCall(['campaign.y'], 'call-2');
    expect(await ledger.usage('campaign.y')).toBe(0);
  });
});

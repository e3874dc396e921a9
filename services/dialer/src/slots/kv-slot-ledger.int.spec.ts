import { connect, NatsConnection } from 'nats';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { callIdOf } from '@contracts/dialing/dial-job';
import { KvSlotLedger } from './kv-slot-ledger';
import { holderOf, SlotScope } from './slot-ledger';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rand = (n: number) => Math.floor(Math.random() * n);

describe('KvSlotLedger (real NATS KV, several instances)', () => {
  const connections: NatsConnection[] = [];
  const ledgers: KvSlotLedger[] = [];
  const freshLedgers: KvSlotLedger[] = [];

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
    [...ledgers, ...freshLedgers].forEach((l) => l.stop());
    await Promise.all(connections.map((c) => c.close()));
  });

  /** A started ledger on a bucket of its own, stopped after the tests. */
  async function freshLedger(now?: () => number): Promise<KvSlotLedger> {
    const ledger = new KvSlotLedger(await connections[0].jetstream().views.kv(uniqueName('slots'), { history: 1 }), now);
    await ledger.start();
    freshLedgers.push(ledger);
    return ledger;
  }

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
          // Half the workers wait as takers: a call ending on their ledger may hand them its slots.
          const taker = w % 2 === 0 ? { scopes, holder, leaseMs: 60_000, rank: i } : undefined;
          if ((await ledger.waitForChange(200, taker)) === 'acquired') break;
        }
        enter(scopes);
        acquired++;
        await sleep(rand(15));
        leave(scopes);
        const keys = scopes.map((s) => s.key);
        // Ends as a call (which hands slots over) or as a hold given back.
        await (i % 2 === 0 ? ledger.endCalls([{ callId: holder, scopeKeys: keys }]) : ledger.release(keys, holder));
        // A redelivered end frees nothing: a taker may be handed a slot only where there is room.
        if (i % 3 === 0) await ledgers[(w + 1) % ledgers.length].endCalls([{ callId: holder, scopeKeys: keys }]);
      }
    };
    await Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));

    expect(violations).toEqual([]);
    expect(acquired).toBe(24 * 15);
    for (const key of [...campaigns.map((c) => c.key), 'client.k1', 'client.k2', 'global']) {
      expect(await ledgers[0].usage(key)).toBe(0);
    }
  }, 120_000);

  it("does not take its own writes back from the watch for slot changes, whichever of write answer and watch comes first", async () => {
    const ledger = await freshLedger();
    let changes = 0;
    ledger.onChange(() => changes++);
    const scope = [{ key: 'campaign.own', limit: 500 }];
    for (let i = 0; i < 200; i++) expect((await ledger.acquire(scope, `call-${i}@a.${i}`, 60_000)).outcome).toBe('acquired');
    await sleep(200); // the watch delivers the last writes
    expect(changes).toBe(0);
  });

  it('is idempotent per holder and reclaims an expired lease', async () => {
    let now = 1_000;
    const ledger = await freshLedger(() => now);
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
    const ledger = await freshLedger(() => now);
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
    await ledger.endCalls([{ callId: 'call-2', scopeKeys: ['campaign.y'] }]);
    expect(await ledger.usage('campaign.y')).toBe(0);
  });

  it('hands the slots of an ending call straight to the first waiting taker for the same scopes, in the same write', async () => {
    const ledger = await freshLedger();
    const scopes = [
      { key: 'campaign.z', limit: 1 },
      { key: 'global', limit: 5 },
    ];
    const keys = scopes.map((s) => s.key);
    expect((await ledger.acquire(scopes, 'call-1@a.1', 60_000)).outcome).toBe('acquired');
    // The taker handed the slots hears of it as the write starts (a head start), before its wait ends.
    const heard: string[] = [];
    const onHandOver = (holder: string) => () => heard.push(`${holder} handed over, ${ledger.freeSlots(scopes)} free`);
    const later = ledger.waitForChange(5_000, { scopes, holder: 'call-3@a.3', leaseMs: 60_000, rank: 3, onHandOver: onHandOver('call-3') });
    const first = ledger.waitForChange(5_000, { scopes, holder: 'call-2@a.2', leaseMs: 60_000, rank: 2, onHandOver: onHandOver('call-2') });
    const ended = ledger.endCalls([{ callId: 'call-1', scopeKeys: keys }]);
    expect(heard).toEqual(['call-2 handed over, 0 free']);
    await ended;
    expect(await first).toBe('acquired');
    expect(await ledger.holders('campaign.z')).toEqual(['call-2']);
    expect(await ledger.holders('global')).toEqual(['call-2']);
    // The other taker was handed nothing: woken by the change like any waiter, it finds no room and waits again.
    expect(await later).toBe('changed');
    const again = ledger.waitForChange(5_000, { scopes, holder: 'call-3@a.3', leaseMs: 60_000, rank: 3 });
    await ledger.endCalls([{ callId: 'call-2', scopeKeys: keys }]);
    expect(await again).toBe('acquired');
    expect(await ledger.holders('campaign.z')).toEqual(['call-3']);
  });

  it('gives a taker nothing when one of its scopes has no room (a limit lowered meanwhile, a redelivered end)', async () => {
    const ledger = await freshLedger();
    const scopes = [
      { key: 'campaign.w', limit: 2 },
      { key: 'client.k', limit: 2 },
    ];
    await ledger.acquire(scopes, 'call-1@a.1', 60_000);
    await ledger.acquire(scopes, 'call-2@a.2', 60_000);
    // The client's limit is now 1: with call-1 gone, call-2 alone fills it.
    const lowered = [scopes[0], { key: 'client.k', limit: 1 }];
    let headStarts = 0;
    const taker = ledger.waitForChange(5_000, { scopes: lowered, holder: 'call-3@a.3', leaseMs: 60_000, rank: 3, onHandOver: () => headStarts++ });
    await ledger.endCalls([{ callId: 'call-1', scopeKeys: scopes.map((s) => s.key) }]);
    // Picked before the write found no room: its head start is for nothing, and the wait says so.
    expect(headStarts).toBe(1);
    expect(await taker).toBe('changed');
    expect(await ledger.holders('campaign.w')).toEqual(['call-2']);
    expect(await ledger.holders('client.k')).toEqual(['call-2']);

    // A redelivered end (call-1 again) frees nothing, so it hands nothing over either.
    const again = ledger.waitForChange(5_000, { scopes: lowered, holder: 'call-3@a.3', leaseMs: 60_000, rank: 3 });
    await ledger.endCalls([{ callId: 'call-1', scopeKeys: scopes.map((s) => s.key) }]);
    expect(await again).toBe('changed');
    expect(await ledger.holders('client.k')).toEqual(['call-2']);
  });

  it('holds as many calls as the largest limit allowed, with the longest holder ids (the entry fits in a NATS message)', async () => {
    const ledger = await freshLedger();
    const scope = [{ key: 'global', limit: MAX_CONCURRENT_CALLS_PER_SCOPE }];
    // A contact id is 24 hex characters; a holder adds the attempt, the dialer's token and its counter.
    const longest = (i: number) => holderOf(callIdOf(i.toString(16).padStart(24, 'f'), 99), `ffffffff.${99_999_999 - i}`);
    const results = await Promise.all(Array.from({ length: MAX_CONCURRENT_CALLS_PER_SCOPE }, (_, i) => ledger.acquire(scope, longest(i), 600_000)));
    expect(results.filter((r) => r.outcome === 'acquired')).toHaveLength(MAX_CONCURRENT_CALLS_PER_SCOPE);
    expect(await ledger.acquire(scope, longest(MAX_CONCURRENT_CALLS_PER_SCOPE), 600_000)).toMatchObject({ outcome: 'full' });
    expect(await ledger.usage('global')).toBe(MAX_CONCURRENT_CALLS_PER_SCOPE);
  });

  it('stores a scope as a JSON object of holder id -> lease expiry, and reads one written so by another', async () => {
    const kv = await connections[0].jetstream().views.kv(uniqueName('slots'), { history: 1 });
    const ledger = new KvSlotLedger(kv);
    await ledger.start();
    freshLedgers.push(ledger);
    const before = Date.now();
    await ledger.acquire([{ key: 'campaign.f', limit: 3 }], 'call-1@a.1', 60_000);
    const stored = (await kv.get('campaign.f'))!.json<Record<string, number>>();
    expect(Object.keys(stored)).toEqual(['call-1@a.1']);
    expect(stored['call-1@a.1']).toBeGreaterThanOrEqual(before + 60_000);

    await kv.put('campaign.f', new TextEncoder().encode(JSON.stringify({ ...stored, 'call-2@b.1': Date.now() + 60_000 })));
    await sleep(200); // the watch
    expect(ledger.freeSlots([{ key: 'campaign.f', limit: 3 }])).toBe(1);
    expect(await ledger.acquire([{ key: 'campaign.f', limit: 3 }], 'call-3@a.2', 60_000)).toMatchObject({ outcome: 'acquired' });
    expect((await ledger.holders('campaign.f')).sort()).toEqual(['call-1', 'call-2', 'call-3']);
    expect(await ledger.acquire([{ key: 'campaign.f', limit: 3 }], 'call-4@a.3', 60_000)).toMatchObject({ outcome: 'full' });
  });
});

import { connect, NatsConnection } from 'nats';
import { testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { Pacer } from './pacer';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Pacer (real NATS KV, several instances)', () => {
  const connections: NatsConnection[] = [];
  const pacers: Pacer[] = [];
  afterAll(async () => {
    pacers.forEach((p) => p.stop());
    await Promise.all(connections.map((c) => c.close()));
  });

  async function pacerSet(count: number, cps: number): Promise<Pacer[]> {
    const bucket = uniqueName('pacer');
    const set: Pacer[] = [];
    for (let i = 0; i < count; i++) {
      const nc = await connect({ servers: testNatsUrl() });
      connections.push(nc);
      const pacer = new Pacer(await nc.jetstream().views.kv(bucket, { history: 1 }), 'pacer', { cps, inFlightExpiryMs: 5_000 });
      await pacer.start();
      set.push(pacer);
    }
    pacers.push(...set);
    return set;
  }

  it('lets no more than cps requests arrive in any second, across instances, with random delays', async () => {
    const cps = 4;
    const set = await pacerSet(3, cps);
    const arrivals: number[] = [];
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 9 }, (_, lane) =>
        (async () => {
          for (let i = 0; i < 3; i++) {
            const request = (await set[lane % 3].admit())!;
            if (Math.random() < 0.2) {
              await request.withdrawn();
              continue;
            }
            await sleep(Math.random() * 150); // on the way to "Plivo"
            arrivals.push(Date.now());
            await sleep(Math.random() * 150); // the answer on its way back
            await request.answered();
          }
        })(),
      ),
    );
    const sorted = arrivals.sort((a, b) => a - b);
    let most = 0;
    for (let i = 0, j = 0; i < sorted.length; i++) {
      while (sorted[i] - sorted[j] >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBeLessThanOrEqual(cps);
    expect(most).toBeGreaterThanOrEqual(cps - 1);
    // Pacing, not stalling: ~22 requests at up to 4 per (1 s + delays).
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);

  it('counts the requests of a window an older dialer stored', async () => {
    const bucket = uniqueName('pacer');
    const nc = await connect({ servers: testNatsUrl() });
    connections.push(nc);
    const kv = await nc.jetstream().views.kv(bucket, { history: 1 });
    // { id: [admittedAt, answeredAt] }: one in flight, one answered just now (it counts for a second more).
    const now = Date.now();
    await kv.put('pacer', JSON.stringify({ old1: [now, 0], old2: [now - 50, now] }));
    const pacer = new Pacer(kv, 'pacer', { cps: 2, inFlightExpiryMs: 5_000 });
    await pacer.start();
    pacers.push(pacer);
    let admittedAt = 0;
    const waiting = pacer.admit().then((r) => ((admittedAt = Date.now()), r));
    await sleep(500);
    expect(admittedAt).toBe(0); // both old requests count: the window is full
    await waiting; // until the answered one stops counting
    expect(admittedAt - now).toBeGreaterThanOrEqual(990);
    expect(admittedAt - now).toBeLessThan(2_000);
  });

  it('wakes a waiting request as soon as an answer frees the window', async () => {
    const [a, b] = await pacerSet(2, 1);
    const first = (await a.admit())!;
    let admittedAt = 0;
    const waiting = b.admit().then((r) => ((admittedAt = Date.now()), r));
    await sleep(200);
    expect(admittedAt).toBe(0); // in flight: it may arrive any moment, so the window is full
    const answeredAt = Date.now();
    await first.answered();
    await waiting;
    expect(admittedAt - answeredAt).toBeGreaterThanOrEqual(990);
    expect(admittedAt - answeredAt).toBeLessThan(1_500);
  });

  /** A pacer on a bucket of its own whose writes (and their conflicts) are counted. */
  async function countedPacer(cps: number, reportLingerMs?: number) {
    const nc = await connect({ servers: testNatsUrl() });
    connections.push(nc);
    const kv = await nc.jetstream().views.kv(uniqueName('pacer'), { history: 1 });
    const counts = { writes: 0, conflicts: 0 };
    for (const method of ['create', 'update'] as const) {
      const write = kv[method].bind(kv) as (...args: unknown[]) => Promise<number>;
      (kv as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        counts.writes++;
        return write(...args).catch((e: unknown) => {
          counts.conflicts++;
          throw e;
        });
      };
    }
    const pacer = new Pacer(kv, 'pacer', { cps, inFlightExpiryMs: 5_000 }, Date.now, reportLingerMs);
    await pacer.start();
    pacers.push(pacer);
    return { pacer, counts };
  }

  it("writes one instance's admissions and answers in rounds that never conflict with each other", async () => {
    const { pacer, counts } = await countedPacer(1_000);
    await Promise.all(
      Array.from({ length: 20 }, (_, lane) =>
        (async () => {
          for (let i = 0; i < 10; i++) {
            const request = (await pacer.admit())!;
            await sleep(Math.random() * 5);
            await (i % 4 === 0 ? request.withdrawn() : request.answered());
          }
        })(),
      ),
    );
    expect(counts.conflicts).toBe(0);
    // 200 admissions and 200 answers or withdrawals: rounds carry several each.
    expect(counts.writes).toBeLessThan(250);
  });

  it('lets answers wait for the next admission while the window is less than half full, and writes them alone soon after', async () => {
    const { pacer, counts } = await countedPacer(1_000, 3_000);
    const first = (await pacer.admit())!;
    expect(counts.writes).toBe(1);
    let recorded = false;
    const answer = first.answered().then(() => (recorded = true));
    await sleep(100);
    expect([counts.writes, recorded]).toEqual([1, false]);
    const admitting = Date.now();
    const second = (await pacer.admit())!; // one write, at once: the admission and the answer that waited
    expect(Date.now() - admitting).toBeLessThan(1_500);
    await answer;
    expect(counts.writes).toBe(2);

    const reporting = Date.now();
    await second.answered(); // a report with no admission to ride along: written when its wait is over
    expect(Date.now() - reporting).toBeGreaterThanOrEqual(2_900);
    expect(counts.writes).toBe(3);
  });

  it('writes an answer at once when the window is half full', async () => {
    const { pacer, counts } = await countedPacer(2);
    const first = (await pacer.admit())!;
    const started = Date.now();
    await first.answered();
    expect(Date.now() - started).toBeLessThan(80);
    expect(counts.writes).toBe(2);
  });

  it('writes the answers still waiting when it stops', async () => {
    const { pacer, counts } = await countedPacer(1_000, 3_000);
    const first = (await pacer.admit())!;
    const answer = first.answered();
    const stopping = Date.now();
    await pacer.stop();
    expect(counts.writes).toBe(2);
    expect(Date.now() - stopping).toBeLessThan(1_500);
    await answer;
  });

  it('admits nothing once stopped: a request waiting for room gets nothing, at once', async () => {
    const { pacer } = await countedPacer(1);
    await pacer.admit();
    const waiting = pacer.admit(); // in flight, the first fills the window
    await sleep(50);
    const stopping = Date.now();
    await pacer.stop();
    expect(await waiting).toBeUndefined();
    expect(await pacer.admit()).toBeUndefined();
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });

  it('stops waiting when aborted', async () => {
    const [pacer] = await pacerSet(1, 1);
    await pacer.admit();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const started = Date.now();
    expect(await pacer.admit(stop.signal)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

import { get } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NatsContext, openNats } from '@libs/nats/nats-context';
import { buildOnce } from '@libs/testing/build-once';
import { freePort } from '@libs/testing/free-port';
import { ManagedProcess, spawnManaged } from '@libs/testing/managed-process';
import { httpUp } from '@libs/testing/probes';
import { findRepoRoot } from '@libs/testing/repo-root';
import { testMongoUrl, testNatsUrl, uniqueName } from '@libs/testing/test-env';
import { waitFor } from '@libs/testing/wait-for';
import { signedHeaders } from '../../services/call-tracking/test/signed-webhook';
import { publishCallRequested, putCampaignRuntime } from '../../services/call-tracking/test/tracking-app';

const CALLS = 300;
const WARM_UP = 20;
const IN_FLIGHT = 2;
/** Other test suites share the 2 CPUs: a round spoiled by their load spike is run again (after a pause), up to 5 times. */
const ROUNDS = 5;
const PAUSE_MS = 2_000;
const CAMPAIGN = 'camp-latency';
const PUBLIC_BASE = 'https://calls.example.com';
const TOKEN = 'latency-test-token';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * How fast the answer webhook returns its XML (Plivo waits for it while the callee hears silence):
 * 300 signed answer callbacks (after 20 to warm up), 2 in flight, to call-tracking running as its own
 * process as in production. Every answer looks up its call in the CALLS stream and publishes CallAnswered
 * before it replies. The best of up to 5 rounds (fresh calls each) must have p99 under 100 ms: a handler
 * that is slow fails every round, a neighbour's load spike only some.
 */
describe('answer webhook latency', () => {
  let tracking: ManagedProcess;
  let trackingUrl: string;
  let nats: NatsContext;

  beforeAll(async () => {
    await buildOnce();
    const namespace = uniqueName('lat');
    const port = await freePort();
    trackingUrl = `http://127.0.0.1:${port}`;
    tracking = spawnManaged('call-tracking', process.execPath, [join(findRepoRoot(__dirname), 'dist/services/call-tracking/src/main.js')], {
      env: {
        ...process.env,
        NATS_URL: testNatsUrl(),
        NATS_NAMESPACE: namespace,
        MONGO_URL: testMongoUrl(),
        MONGO_DB: namespace,
        TRACKING_PORT: String(port),
        PUBLIC_BASE_URL: PUBLIC_BASE,
        PLIVO_AUTH_TOKEN: TOKEN,
        LOG_LEVEL: 'warn',
      },
    });
    nats = await openNats({ url: testNatsUrl(), name: 'latency-test', namespace, replicas: 1 });
    await waitFor(() => httpUp(trackingUrl), { timeoutMs: 30_000, description: 'call-tracking to listen' });
    await putCampaignRuntime(nats, { campaignId: CAMPAIGN });
  }, 180_000);

  afterAll(async () => {
    await tracking?.stop();
    await nats?.nc.close();
  });

  /** One round: fresh calls, signed answers (signed before the clock starts: signing is the sender's work). */
  async function round(r: number) {
    const ids = Array.from({ length: WARM_UP + CALLS }, (_, i) => `r${r}k${i}-a1`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((callId, j) => publishCallRequested(nats, { campaignId: CAMPAIGN, callId, customData: { plan: 'gold', row: i + j } })));
    }
    const requests = ids.map((callId, i) => {
      const path = `/plivo/${CAMPAIGN}/${callId}/answer`;
      const params = { CallUUID: `uuid-${r}-${i}`, CallStatus: 'in-progress', Event: 'StartApp', From: '+14155550100', To: '+14155552671', Direction: 'outbound' };
      return { url: `${trackingUrl}${path}`, params, headers: signedHeaders(`${PUBLIC_BASE}${path}`, params, TOKEN) };
    });
    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const i = next++;
        const { url, params, headers } = requests[i];
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
        const body = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200 || !body.includes('<Stream bidirectional="true" keepCallAlive="true"')) failures.push(`${response.status} ${body.slice(0, 200)}`);
        if (i >= WARM_UP) latencies.push(elapsed);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const sorted = latencies.sort((a, b) => a - b);
    const ms = (v: number) => Math.round(v * 10) / 10;
    const figures = { round: r, calls: sorted.length, inFlight: IN_FLIGHT, p50: ms(percentile(sorted, 50)), p95: ms(percentile(sorted, 95)), p99: ms(percentile(sorted, 99)), max: ms(sorted[sorted.length - 1]) };
    process.stdout.write(`answer webhook latency (ms): ${JSON.stringify(figures)}\n`);
    return { figures, failures, answered: ids.length };
  }

  it('keeps idle connections open longer than a load balancer or webhook client in front would', async () => {
    // Node's default is 5 s: a webhook written as the service closes an idle connection meets a reset.
    const keepAlive = await new Promise<unknown>((resolve, reject) => {
      get(`${trackingUrl}/metrics`, (response) => {
        response.resume();
        resolve(response.headers['keep-alive']);
      }).on('error', reject);
    });
    expect(keepAlive).toBe('timeout=65');
  });

  it(`answers ${CALLS} signed answer callbacks with p99 under 100 ms`, async () => {
    let best = Infinity;
    let answered = 0;
    for (let r = 1; r <= ROUNDS && best >= 100; r++) {
      if (r > 1) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      const result = await round(r);
      expect(result.failures).toEqual([]);
      expect(result.figures.calls).toBe(CALLS);
      best = Math.min(best, result.figures.p99);
      answered += result.answered;
    }
    expect(best).toBeLessThan(100);
    // Every answer was published, once.
    const info = await nats.jsm.streams.info(nats.subjects.streams.calls, { subjects_filter: nats.subjects.callEvent(CAMPAIGN, '*', 'answered') });
    const counts = Object.values(info.state.subjects ?? {});
    expect(counts).toHaveLength(answered);
    expect(counts.every((n) => n === 1)).toBe(true);
  }, 300_000);
});

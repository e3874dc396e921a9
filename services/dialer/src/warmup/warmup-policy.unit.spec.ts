import { holdsOn } from '@libs/testing/signal-holds';
import { realClock, warmUp, warmupBackoffDelays, WarmupClock, WarmupPolicy } from './warmup-policy';

const policy = (p: Partial<WarmupPolicy> = {}): WarmupPolicy => ({ tries: 3, timeoutMs: 30, backoffMs: 5, maxBackoffMs: 1_000, ...p });

/** Real timers for the per-try timeout, recorded (and shortened) waits between tries. */
function recordingClock(): WarmupClock & { waits: number[] } {
  const waits: number[] = [];
  return { waits, now: () => Date.now(), sleep: (ms, signal) => (waits.push(ms), realClock.sleep(1, signal)) };
}

const failing = (times: number) => {
  let calls = 0;
  const tryOnce = async () => {
    calls++;
    if (calls <= times) throw new Error(`refused #${calls}`);
  };
  return { tryOnce, calls: () => calls };
};

describe('warmupBackoffDelays', () => {
  it('doubles from the base, one wait fewer than the tries, capped', () => {
    expect(warmupBackoffDelays({ tries: 1, backoffMs: 100, maxBackoffMs: 1_000 })).toEqual([]);
    expect(warmupBackoffDelays({ tries: 4, backoffMs: 100, maxBackoffMs: 1_000 })).toEqual([100, 200, 400]);
    expect(warmupBackoffDelays({ tries: 6, backoffMs: 300, maxBackoffMs: 1_000 })).toEqual([300, 600, 1_000, 1_000, 1_000]);
  });
});

describe('warmUp', () => {
  it('succeeds at once without waiting', async () => {
    const clock = recordingClock();
    const result = await warmUp(failing(0).tryOnce, policy(), clock);
    expect(result).toMatchObject({ ok: true, attempts: 1 });
    expect(clock.waits).toEqual([]);
  });

  it('leaves nothing on the stop signal once over, whether a try worked, failed or timed out', async () => {
    const stop = new AbortController();
    const slow = () => new Promise<void>((r) => setTimeout(r, 100));
    await warmUp(failing(0).tryOnce, policy(), recordingClock(), stop.signal);
    await warmUp(failing(5).tryOnce, policy({ tries: 2 }), recordingClock(), stop.signal);
    expect(await warmUp(slow, policy({ tries: 1, timeoutMs: 10 }), recordingClock(), stop.signal)).toMatchObject({ ok: false, lastError: 'timed out after 10 ms' });
    expect(holdsOn(stop.signal)).toBe(0);
  });

  it('retries with backoff and reports the try that worked', async () => {
    const clock = recordingClock();
    const warm = failing(2);
    const result = await warmUp(warm.tryOnce, policy({ tries: 3, backoffMs: 7 }), clock);
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(warm.calls()).toBe(3);
    expect(clock.waits).toEqual([7, 14]);
  });

  it('fails after the last try with the last error', async () => {
    const warm = failing(5);
    const result = await warmUp(warm.tryOnce, policy({ tries: 3 }), recordingClock());
    expect(result).toMatchObject({ ok: false, attempts: 3, lastError: 'refused #3' });
    expect(warm.calls()).toBe(3);
  });

  it('bounds each try by the timeout, even a try that ignores its signal', async () => {
    const hang = () => new Promise<void>(() => undefined);
    const started = Date.now();
    const result = await warmUp(hang, policy({ tries: 2, timeoutMs: 20 }), recordingClock());
    const took = Date.now() - started;
    expect(result).toMatchObject({ ok: false, attempts: 2, lastError: 'timed out after 20 ms' });
    expect(took).toBeGreaterThanOrEqual(35);
    expect(took).toBeLessThan(1_000);
    expect(result.durationMs).toBeGreaterThanOrEqual(35);
  });

  it('passes each try a signal that aborts at the timeout', async () => {
    let seen: AbortSignal | undefined;
    const result = await warmUp(
      (signal) => {
        seen = signal;
        return new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted by signal'))));
      },
      policy({ tries: 1, timeoutMs: 10 }),
      recordingClock(),
    );
    expect(result.ok).toBe(false);
    expect(seen?.aborted).toBe(true);
  });

  it('gives up at once when stopped, reporting it as aborted', async () => {
    const stop = new AbortController();
    const tryOnce = () => {
      setTimeout(() => stop.abort(), 5);
      return new Promise<void>(() => undefined);
    };
    const started = Date.now();
    const result = await warmUp(tryOnce, policy({ tries: 3, timeoutMs: 5_000 }), recordingClock(), stop.signal);
    expect(result).toMatchObject({ ok: false, aborted: true, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

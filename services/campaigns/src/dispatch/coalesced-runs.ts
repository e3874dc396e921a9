/**
 * Runs a job per key at most once at a time, coalescing requests: however many arrive while one run is
 * waiting or running, one more run follows. A failed run is tried again after the interval.
 */
export class CoalescedRuns {
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();
  private stopped = false;

  constructor(
    private readonly run: (key: string) => Promise<void>,
    private readonly intervalMs = 100,
    private readonly onError: (key: string, error: unknown) => void = () => undefined,
  ) {}

  request(key: string, delayMs = this.intervalMs): void {
    if (this.stopped) return;
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    const queued = this.waiting.get(key);
    if (queued) {
      if (delayMs >= this.intervalMs) return;
      clearTimeout(queued);
    }
    this.waiting.set(
      key,
      setTimeout(() => void this.execute(key), delayMs),
    );
  }

  private async execute(key: string): Promise<void> {
    this.waiting.delete(key);
    this.running.add(key);
    let failed = false;
    try {
      await this.run(key);
    } catch (e) {
      failed = true;
      this.onError(key, e);
    } finally {
      this.running.delete(key);
    }
    if (this.again.delete(key) || failed) this.request(key);
  }

  stop(): void {
    this.stopped = true;
    this.waiting.forEach((t) => clearTimeout(t));
    this.waiting.clear();
  }
}

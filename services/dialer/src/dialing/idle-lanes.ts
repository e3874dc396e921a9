/**
 * The lanes of one campaign that found no room to take a job. A slot change releases as many of them
 * as there is room for, oldest first, not all: the global scope changes with every call, so waking every
 * idle lane of every campaign on each change would cost a dialer running many campaigns dearly.
 */
export class IdleLanes {
  private readonly waiting = new Set<() => void>();

  /** Resolves when released, or after `timeoutMs` (the lane then looks again by itself). */
  wait(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiting.add(done);
    });
  }

  release(count: number): void {
    for (const done of this.waiting) {
      if (count-- <= 0) return;
      done();
    }
  }

  releaseAll(): void {
    this.release(this.waiting.size);
  }
}

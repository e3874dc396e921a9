/**
 * An abort signal that follows `sources` (and aborts by itself after `timeoutMs`, if given) until
 * `release()`. It replaces `AbortSignal.any` and `AbortSignal.timeout` where one source lives long,
 * such as a dialer's stop signal: Node keeps every `AbortSignal.any` result that has an abort listener
 * for as long as any of its sources lives (nodejs/node#55351, #64476), about 1.2 KB per call on Node
 * 20, so a dialer working through a million calls would hold a gigabyte. Released, this one is
 * referenced by nothing long-lived.
 */
export class LinkedSignal {
  private readonly controller = new AbortController();
  private readonly unlinks: (() => void)[] = [];
  private timer?: NodeJS.Timeout;
  private expired = false;

  constructor(sources: readonly (AbortSignal | undefined)[], timeoutMs?: number) {
    for (const source of sources) {
      if (!source) continue;
      if (source.aborted) {
        this.abort(source.reason);
        return;
      }
      const follow = () => this.abort(source.reason);
      source.addEventListener('abort', follow, { once: true });
      this.unlinks.push(() => source.removeEventListener('abort', follow));
    }
    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.expired = true;
        this.abort(new DOMException(`timed out after ${timeoutMs} ms`, 'TimeoutError'));
      }, timeoutMs);
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether it aborted because `timeoutMs` ran out. */
  get timedOut(): boolean {
    return this.expired;
  }

  /** The work it guarded is over: stops following the sources and the clock. */
  release(): void {
    clearTimeout(this.timer);
    this.unlinks.splice(0).forEach((unlink) => unlink());
  }

  private abort(reason: unknown): void {
    this.release();
    this.controller.abort(reason);
  }
}

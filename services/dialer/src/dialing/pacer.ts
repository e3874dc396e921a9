import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { admit, answered, RateLimits, RateWindow, withdrawn } from './rate-window';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Call API request admitted by the pacer; report how it went exactly once. */
export interface PacedRequest {
  /**
   * The request left and its answer (or error) came back now. `marginMs` when it may still be on its
   * way (cut off by a timeout): it then counts that much longer.
   */
  answered(marginMs?: number): Promise<void>;
  /** Nothing was sent: the admission is given back. */
  withdrawn(): Promise<void>;
}

/**
 * Account-wide pacing of Call API requests across every dialer instance: the sliding window of
 * `rate-window.ts` in one KV entry, changed only by compare-and-set, so no interleaving of any number
 * of instances lets more than `cps` requests reach Plivo within one second. Waiters wake when the
 * window changes or when its oldest request stops counting.
 */
export class Pacer {
  private watcher?: QueuedIterator<KvEntry>;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: this.key, ignoreDeletes: false });
    void (async () => {
      for await (const _entry of this.watcher!) this.wakeAll();
    })();
  }

  stop(): void {
    this.watcher?.stop();
    this.wakeAll();
  }

  /** Waits until request `id` fits in the window; undefined when `signal` aborted the wait. */
  async admit(id: string, signal?: AbortSignal): Promise<PacedRequest | undefined> {
    for (;;) {
      if (signal?.aborted) return undefined;
      const entry = await this.kv.get(this.key);
      const decision = admit(parse(entry), id, this.now(), this.limits);
      if (decision.admitted) {
        if (await this.write(entry, decision.window)) return this.request(id);
        continue;
      }
      await this.changeOrTimeout(Math.max(1, decision.retryAt - this.now()), signal);
    }
  }

  private request(id: string): PacedRequest {
    return {
      answered: (marginMs = 0) => this.change((window) => answered(window, id, this.now() + marginMs)),
      withdrawn: () => this.change((window) => withdrawn(window, id)),
    };
  }

  private async change(mutate: (window: RateWindow) => RateWindow | undefined): Promise<void> {
    for (;;) {
      const entry = await this.kv.get(this.key);
      const next = mutate(parse(entry));
      if (!next || (await this.write(entry, next))) return;
    }
  }

  /** CAS write; false when another instance wrote first. */
  private async write(entry: KvEntry | null, window: RateWindow): Promise<boolean> {
    const data = encoder.encode(JSON.stringify(window));
    try {
      if (entry) await this.kv.update(this.key, data, entry.revision);
      else await this.kv.create(this.key, data);
      return true;
    } catch (e) {
      if (isKvConflict(e)) return false;
      throw e;
    }
  }

  /** Resolves on the next change of the window, after `ms`, or when `signal` aborts, leaving nothing behind. */
  private changeOrTimeout(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
      this.waiters.push(done);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
    });
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}

function parse(entry: KvEntry | null): RateWindow {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return {};
  const value = JSON.parse(decoder.decode(entry.value)) as unknown;
  // An older dialer version stored a plain number (next free time) under this key.
  return value && typeof value === 'object' ? (value as RateWindow) : {};
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { admit, answered, RateLimits, RateWindow, withdrawn } from './rate-window';

/** The window at a revision (0: no entry yet). */
interface Snapshot {
  revision: number;
  window: RateWindow;
}

interface AdmissionWaiter {
  id: string;
  /** Resolved or rejected already (an abort settles it early). */
  settled: boolean;
  resolve: (request: PacedRequest | undefined) => void;
  reject: (error: unknown) => void;
}

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
 * window changes or when its oldest request stops counting. Within one instance, admissions and
 * answers are written in groups (one write for all that queued up meanwhile), which keeps the hot entry
 * from being fought over by every lane.
 */
export class Pacer {
  private watcher?: QueuedIterator<KvEntry>;
  private waiters: (() => void)[] = [];
  /** The newest revision of the window this instance knows of, from the watch and its own writes. */
  private latest?: Snapshot;
  private admissions: AdmissionWaiter[] = [];
  private admitting?: Promise<void>;
  private updates: { mutate: (window: RateWindow) => RateWindow | undefined; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private updating?: Promise<void>;

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: this.key, ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) {
        // Our own writes come back here too: they are known already.
        if (entry.revision <= (this.latest?.revision ?? 0)) continue;
        this.remember({ revision: entry.revision, window: parse(entry) });
        this.wakeAll();
      }
    })();
  }

  stop(): void {
    this.watcher?.stop();
    this.wakeAll();
  }

  /** Waits until request `id` fits in the window; undefined when `signal` aborted the wait. */
  admit(id: string, signal?: AbortSignal): Promise<PacedRequest | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (waiter.settled) return;
        waiter.settled = true;
        this.admissions = this.admissions.filter((w) => w !== waiter);
        resolve(undefined);
      };
      const waiter: AdmissionWaiter = {
        id,
        settled: false,
        resolve: (request) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(request);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.admissions.push(waiter);
      this.admitting ??= this.admitWaiting();
    });
  }

  /**
   * Group commit of admissions: every request of this instance waiting for the window is admitted, in
   * order, by as few compare-and-set writes as the window allows, not one contended write each.
   */
  private async admitWaiting(): Promise<void> {
    try {
      let snapshot = this.latest ?? (await this.read());
      while (this.admissions.length > 0) {
        const decision = admit(snapshot.window, this.admissions.map((w) => w.id), this.now(), this.limits);
        const admitted = this.admissions.slice(0, decision.admitted);
        if (admitted.length === 0) {
          await this.changeOrTimeout(Math.max(1, decision.retryAt! - this.now()));
          snapshot = this.latest ?? (await this.read());
          continue;
        }
        if (!(await this.write(snapshot, decision.window))) {
          snapshot = await this.read();
          continue;
        }
        snapshot = this.latest!;
        this.admissions = this.admissions.filter((w) => !admitted.includes(w));
        for (const waiter of admitted) {
          // Aborted while its admission was being written: it sends nothing, so the admission goes back.
          if (waiter.settled) void this.change((w) => withdrawn(w, waiter.id)).catch(() => undefined);
          else {
            waiter.settled = true;
            waiter.resolve(this.request(waiter.id));
          }
        }
      }
    } catch (error) {
      const failed = this.admissions;
      this.admissions = [];
      failed.forEach((w) => !w.settled && ((w.settled = true), w.reject(error)));
    } finally {
      this.admitting = undefined;
      if (this.admissions.length > 0) this.admitting = this.admitWaiting();
    }
  }

  private request(id: string): PacedRequest {
    return {
      answered: (marginMs = 0) => {
        const at = this.now() + marginMs;
        return this.change((window) => answered(window, id, at));
      },
      withdrawn: () => this.change((window) => withdrawn(window, id)),
    };
  }

  /** Group commit of answers and withdrawals: the ones that come in during a write go together in the next. */
  private change(mutate: (window: RateWindow) => RateWindow | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.updates.push({ mutate, resolve, reject });
      this.updating ??= this.applyUpdates();
    });
  }

  private async applyUpdates(): Promise<void> {
    while (this.updates.length > 0) {
      const batch = this.updates;
      this.updates = [];
      try {
        // On the cached window first; if an update finds nothing to change there (a view a moment
        // old), the batch is redone on a fresh read, where "nothing to change" is the truth.
        let snapshot = this.latest;
        for (;;) {
          const fresh = !snapshot;
          snapshot ??= await this.read();
          let window = snapshot.window;
          let allApplied = true;
          for (const { mutate } of batch) {
            const next = mutate(window);
            if (next) window = next;
            else allApplied = false;
          }
          if (!allApplied && !fresh) {
            snapshot = undefined;
            continue;
          }
          if (window === snapshot.window || (await this.write(snapshot, window))) break;
          snapshot = undefined;
        }
        batch.forEach(({ resolve }) => resolve());
      } catch (error) {
        batch.forEach(({ reject }) => reject(error));
      }
    }
    this.updating = undefined;
  }

  private async read(): Promise<Snapshot> {
    const entry = await this.kv.get(this.key);
    const snapshot = { revision: entry?.revision ?? 0, window: parse(entry) };
    this.remember(snapshot);
    return snapshot;
  }

  /** CAS write; false when another instance wrote first. */
  private async write(snapshot: Snapshot, window: RateWindow): Promise<boolean> {
    const data = encoder.encode(JSON.stringify(window));
    try {
      const revision = snapshot.revision ? await this.kv.update(this.key, data, snapshot.revision) : await this.kv.create(this.key, data);
      this.remember({ revision, window });
      // An answer written here may let a waiting admission in sooner; the watch skips our own writes.
      this.wakeAll();
      return true;
    } catch (e) {
      if (isKvConflict(e)) return false;
      throw e;
    }
  }

  /** Keeps the newest revision seen (the watch may deliver after our own write). */
  private remember(snapshot: Snapshot): void {
    if (!this.latest || snapshot.revision > this.latest.revision) this.latest = snapshot;
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

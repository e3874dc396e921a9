import { randomBytes } from 'node:crypto';
import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { OwnWrites } from '../shared/own-writes';
import { sleep } from '../shared/sleep';
import { admit, decodeWindow, emptyWindow, encodeWindow, RateLimits, RateWindow, Report, settle, size } from './rate-window';

/** The window at a revision (0: no entry yet). */
interface Snapshot {
  revision: number;
  window: RateWindow;
}

/** An answer or a withdrawal to record. */
interface Update {
  report: Report;
  queuedAt: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

interface AdmissionWaiter {
  id: string;
  /** Resolved or rejected already (an abort settles it early). */
  settled: boolean;
  resolve: (request: PacedRequest | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * How long answers and withdrawals may wait for an admission to share its write, while the window is
 * less than half full. Recording them late only counts their requests that much longer, and any round
 * that admits records every one waiting: it halves the writes of a busy dialer.
 */
const REPORT_LINGER_MS = 100;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A Call API request admitted by the pacer; report how it went exactly once. */
export interface PacedRequest {
  /** When the window took it in (epoch ms): it counts from then, as sent. */
  readonly admittedAt: number;
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
 * window changes or when its oldest request stops counting. Within one instance, admissions, answers
 * and withdrawals are written in rounds by one writer (one write for all that queued up meanwhile), which
 * keeps the hot entry from being fought over by every lane, and by the instance itself.
 */
export class Pacer {
  private watcher?: QueuedIterator<KvEntry>;
  /** Aborted to wake the rounds where they wait for room: the window changed, or there is new work. */
  private wake?: AbortController;
  /** The newest revision of the window this instance knows of, from the watch and its own writes. */
  private latest?: Snapshot;
  private admissions: AdmissionWaiter[] = [];
  private updates: Update[] = [];
  private writing?: Promise<void>;
  /** The rounds wait for an admission to carry the reports (see REPORT_LINGER_MS). */
  private lingering = false;
  private stopping = false;
  /** Request ids in the window: short (the whole window is written on every round), unique across instances. */
  private readonly idPrefix = randomBytes(6).toString('base64url');
  private lastId = 0;
  private readonly ownWrites = new OwnWrites();

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
    private readonly reportLingerMs = REPORT_LINGER_MS,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: this.key, ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) {
        // Our own writes come back here too, before or after their answer: they are known, or about to be.
        if (entry.revision <= (this.latest?.revision ?? 0) || this.ownWrites.has(entry)) continue;
        this.remember(snapshotOf(entry));
        this.wake?.abort();
      }
    })();
  }

  /** Stops watching and admitting (a waiting request gets undefined), and writes the answers and withdrawals still waiting. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.watcher?.stop();
    for (const waiter of this.admissions.splice(0)) {
      if (!waiter.settled) {
        waiter.settled = true;
        waiter.resolve(undefined);
      }
    }
    this.wake?.abort();
    await this.writing;
  }

  /** Waits until one more request fits in the window; undefined when `signal` aborted the wait, or the pacer stopped. */
  admit(signal?: AbortSignal): Promise<PacedRequest | undefined> {
    if (signal?.aborted || this.stopping) return Promise.resolve(undefined);
    const id = `${this.idPrefix}${(++this.lastId).toString(36)}`;
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
      this.kick(true);
    });
  }

  private request(id: string, admittedAt: number): PacedRequest {
    return {
      admittedAt,
      answered: (marginMs = 0) => this.change({ id, answeredAt: this.now() + marginMs }),
      withdrawn: () => this.change({ id, withdrawn: true }),
    };
  }

  private change(report: Report): Promise<void> {
    return new Promise((resolve, reject) => {
      this.updates.push({ report, queuedAt: this.now(), resolve, reject });
      this.kick(false);
    });
  }

  /** Starts the rounds of writes, or wakes them where they wait; a report does not end a linger. */
  private kick(admission: boolean): void {
    if (!this.writing) this.writing = this.writeRounds();
    else if (admission || !this.lingering) this.wake?.abort();
  }

  /**
   * Group commit: each round applies every answer and withdrawal of this instance that came in, then
   * admits, in order, as many waiting requests as the window has room for, in one compare-and-set.
   * One writer per instance, so its own writes never conflict. An update that finds nothing to change
   * on the cached window (a view a moment old) has the round redone on a fresh read.
   */
  private async writeRounds(): Promise<void> {
    try {
      let snapshot = this.latest ?? (await this.read());
      let fresh = false;
      while (this.updates.length > 0 || this.admissions.length > 0) {
        if (this.admissions.length === 0 && !this.stopping) {
          const lingerUntil = this.updates[0].queuedAt + this.reportLingerMs;
          if (lingerUntil > this.now() && size(snapshot.window) * 2 < this.limits.cps) {
            this.lingering = true;
            this.wake = new AbortController();
            await sleep(lingerUntil - this.now(), this.wake.signal);
            [this.lingering, this.wake] = [false, undefined];
            snapshot = this.latest ?? snapshot;
            fresh = false;
            continue;
          }
        }
        const updates = this.updates.slice();
        const { window, unmatched } = settle(snapshot.window, updates.map((u) => u.report));
        if (unmatched > 0 && !fresh) {
          snapshot = await this.read();
          fresh = true;
          continue;
        }
        const admittedAt = this.now();
        const decision = admit(window, this.admissions.map((w) => w.id), admittedAt, this.limits);
        const admitted = this.admissions.slice(0, decision.admitted);
        if (window === snapshot.window && admitted.length === 0) {
          this.settleUpdates(updates.length);
          if (this.updates.length === 0 && this.admissions.length > 0) {
            // Until the oldest request stops counting, unless the window changes or new work comes first.
            this.wake = new AbortController();
            await sleep(Math.max(1, decision.retryAt! - this.now()), this.wake.signal);
            this.wake = undefined;
            snapshot = this.latest ?? (await this.read());
            fresh = false;
          }
          continue;
        }
        if (!(await this.write(snapshot, decision.window))) {
          snapshot = await this.read();
          fresh = true;
          continue;
        }
        snapshot = this.latest!;
        fresh = false;
        this.settleUpdates(updates.length);
        this.admissions = this.admissions.filter((w) => !admitted.includes(w));
        for (const waiter of admitted) {
          // Aborted while its admission was being written: it sends nothing, so the admission goes back.
          if (waiter.settled) void this.change({ id: waiter.id, withdrawn: true }).catch(() => undefined);
          else {
            waiter.settled = true;
            waiter.resolve(this.request(waiter.id, admittedAt));
          }
        }
      }
    } catch (error) {
      const [updates, admissions] = [this.updates, this.admissions];
      [this.updates, this.admissions] = [[], []];
      updates.forEach(({ reject }) => reject(error));
      admissions.forEach((w) => !w.settled && ((w.settled = true), w.reject(error)));
    } finally {
      this.writing = undefined;
      if (this.updates.length > 0 || this.admissions.length > 0) this.writing = this.writeRounds();
    }
  }

  /** The first `count` updates are recorded (or had nothing to change). */
  private settleUpdates(count: number): void {
    this.updates.splice(0, count).forEach(({ resolve }) => resolve());
  }

  private async read(): Promise<Snapshot> {
    const snapshot = snapshotOf(await this.kv.get(this.key));
    this.remember(snapshot);
    return snapshot;
  }

  /** CAS write; false when another instance wrote first. */
  private async write(snapshot: Snapshot, window: RateWindow): Promise<boolean> {
    const data = encoder.encode(encodeWindow(window, this.now()));
    try {
      await this.ownWrites.during(this.key, data, async () => {
        const revision = snapshot.revision ? await this.kv.update(this.key, data, snapshot.revision) : await this.kv.create(this.key, data);
        this.remember({ revision, window });
      });
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
}

/** The entry as a snapshot whose window is parsed on first use. */
function snapshotOf(entry: KvEntry | null): Snapshot {
  let window: RateWindow | undefined;
  return {
    revision: entry?.revision ?? 0,
    get window() {
      return (window ??= parse(entry));
    },
  };
}

function parse(entry: KvEntry | null): RateWindow {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return emptyWindow();
  return decodeWindow(JSON.parse(decoder.decode(entry.value)));
}

import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { AcquireResult, callIdOfHolder, EndedCall, SlotLedger, SlotScope, SlotTaker, WaitResult } from './slot-ledger';

/** Holders of one scope: holder id -> lease expiry (epoch ms). */
type Holders = Record<string, number>;
/** One scope's entry at a revision (0: no entry yet). */
interface Snapshot {
  revision: number;
  holders: Holders;
}

const isScopeKey = (key: string) => key.startsWith('campaign.') || key.startsWith('client.') || key === 'global';

/** A lane waiting for a slot change; one handed its slots is settled only when that write is over. */
interface Waiter {
  taker?: SlotTaker;
  handedOver: boolean;
  settle: (result: WaitResult) => void;
}
type TakeResult = 'added' | 'held' | 'full';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_CAS_TRIES = 200;

/**
 * Slots in a JetStream KV bucket: one entry per scope holding the set of its holders, changed only by
 * compare-and-set on the entry's revision, so no interleaving of any number of instances can put more
 * holders in a scope than its limit. Expired leases are dropped whenever an entry is written.
 */
export class KvSlotLedger implements SlotLedger {
  private waiters: Waiter[] = [];
  private watcher?: QueuedIterator<KvEntry>;
  /** The newest revision of each scope this instance knows of, from the watch and its own writes. */
  private readonly cache = new Map<string, Snapshot>();

  constructor(
    private readonly kv: KV,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: '>', ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) {
        if (!isScopeKey(entry.key)) continue;
        this.remember(entry.key, entry.revision, parse(entry));
        this.wakeAll();
      }
    })();
  }

  /**
   * Free slots of every scope as this instance last saw them (the watch, and its own writes): a hint
   * for whether trying to acquire is worth it, never a decision on its own.
   */
  freeSlots(scopes: SlotScope[]): number {
    return Math.min(...scopes.map((scope) => scope.limit - Object.keys(this.live(this.cache.get(scope.key)?.holders ?? {})).length));
  }

  stop(): void {
    this.watcher?.stop();
    this.wakeAll();
  }

  async acquire(scopes: SlotScope[], holder: string, leaseMs: number): Promise<AcquireResult> {
    // The scopes are independent entries, taken at once; if one is full the others are given back.
    const results = await Promise.all(scopes.map((scope) => this.take(scope, holder, leaseMs)));
    const added = scopes.filter((_, i) => results[i] === 'added').map((scope) => scope.key);
    const full = scopes.find((_, i) => results[i] === 'full');
    if (full) {
      await this.release(added, holder);
      return { outcome: 'full', scope: full.key };
    }
    return { outcome: 'acquired', added };
  }

  async release(scopeKeys: string[], holder: string): Promise<void> {
    await Promise.all(
      scopeKeys.map((key) =>
        this.change(key, (holders) => {
          if (!(holder in holders)) return undefined;
          const { [holder]: _gone, ...rest } = holders;
          return rest;
        }),
      ),
    );
  }

  /**
   * Gives back the slots of calls that ended, one write per scope for all of them, and hands each freed
   * slot straight to a job of this instance waiting for the same scopes (a taker), in that same write.
   * A taker that did not get a slot in every scope (a limit lowered meanwhile) gives back the ones it got
   * and waits on, as after any other change.
   */
  async endCalls(calls: EndedCall[]): Promise<void> {
    const takers = this.handOver(calls);
    const byScope = new Map<string, { ended: Set<string>; takers: Waiter[] }>();
    const scopeOf = (key: string) => byScope.get(key) ?? byScope.set(key, { ended: new Set(), takers: [] }).get(key)!;
    for (const call of calls) for (const key of call.scopeKeys) scopeOf(key).ended.add(call.callId);
    for (const waiter of takers) for (const scope of waiter.taker!.scopes) scopeOf(scope.key).takers.push(waiter);
    const taken = new Map<Waiter, Map<string, TakeResult>>(takers.map((w) => [w, new Map()]));
    try {
      await Promise.all(
        [...byScope].map(([key, scope]) =>
          this.change(key, (holders) => {
            let next = withoutCalls(holders, scope.ended);
            for (const waiter of scope.takers) {
              const { holder, leaseMs, scopes } = waiter.taker!;
              const limit = scopes.find((s) => s.key === key)!.limit;
              const result: TakeResult = holder in next ? 'held' : Object.keys(next).length < limit ? 'added' : 'full';
              if (result === 'added') next = { ...next, [holder]: this.now() + leaseMs };
              taken.get(waiter)!.set(key, result);
            }
            return Object.keys(next).length === Object.keys(holders).length && !scope.takers.some((w) => taken.get(w)!.get(key) === 'added') ? undefined : next;
          }),
        ),
      );
    } finally {
      await Promise.all(takers.map((waiter) => this.settleHandOver(waiter, taken.get(waiter)!)));
    }
  }

  /** Picks, for each ended call, the lowest-ranked waiting taker for exactly its scopes. */
  private handOver(calls: EndedCall[]): Waiter[] {
    const picked: Waiter[] = [];
    for (const call of calls) {
      const wanted = [...call.scopeKeys].sort().join(' ');
      const candidates = this.waiters.filter((w) => w.taker && !w.handedOver && w.taker.scopes.map((s) => s.key).sort().join(' ') === wanted);
      const first = candidates.sort((a, b) => a.taker!.rank - b.taker!.rank)[0];
      if (!first) continue;
      first.handedOver = true;
      picked.push(first);
    }
    return picked;
  }

  private async settleHandOver(waiter: Waiter, taken: Map<string, TakeResult>): Promise<void> {
    const { scopes, holder } = waiter.taker!;
    const inEvery = scopes.every((s) => taken.get(s.key) === 'added' || taken.get(s.key) === 'held');
    if (!inEvery) {
      const added = scopes.filter((s) => taken.get(s.key) === 'added').map((s) => s.key);
      // Not given back (NATS down): the slots expire with their lease.
      await this.release(added, holder).catch(() => undefined);
    }
    waiter.settle(inEvery ? 'acquired' : 'changed');
  }

  async renew(scopeKeys: string[], holder: string, leaseMs: number): Promise<boolean> {
    const held = await Promise.all(
      scopeKeys.map(async (key) => {
        let found = true;
        await this.change(key, (holders) => {
          found = holder in holders;
          return found ? { ...holders, [holder]: this.now() + leaseMs } : undefined;
        });
        return found;
      }),
    );
    return held.every(Boolean);
  }

  async usage(scopeKey: string): Promise<number> {
    return Object.keys(this.live(parse(await this.kv.get(scopeKey)))).length;
  }

  /** Call ids holding a slot of one scope now. */
  async holders(scopeKey: string): Promise<string[]> {
    return [...new Set(Object.keys(this.live(parse(await this.kv.get(scopeKey)))).map(callIdOfHolder))];
  }

  waitForChange(timeoutMs: number, taker?: SlotTaker): Promise<WaitResult> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        taker,
        handedOver: false,
        settle: (result) => {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve(result);
        },
      };
      // A waiter handed its slots is settled by that write, not by the clock.
      const timer = setTimeout(() => !waiter.handedOver && waiter.settle('changed'), timeoutMs);
      this.waiters.push(waiter);
    });
  }

  private wakeAll() {
    for (const waiter of this.waiters) if (!waiter.handedOver) waiter.settle('changed');
  }

  private async take(scope: SlotScope, holder: string, leaseMs: number): Promise<'added' | 'held' | 'full'> {
    let result: 'added' | 'held' | 'full' = 'full';
    await this.change(
      scope.key,
      (holders) => {
        if (holder in holders) {
          result = 'held';
          return undefined;
        }
        if (Object.keys(holders).length >= scope.limit) {
          result = 'full';
          return undefined;
        }
        result = 'added';
        return { ...holders, [holder]: this.now() + leaseMs };
      },
      // "Full" or "held" on a view a moment old is safe: the caller waits for the next change and tries again.
      { trustCachedNoChange: true },
    );
    return result;
  }

  /**
   * Read-modify-write of one scope with CAS on its revision; `mutate` returns the new holders or
   * undefined for "no change". Expired holders are dropped before `mutate` sees them. The first try
   * works on the cached revision (no read); a conflict, or a "no change" the caller cannot take from
   * a view that may be a moment old, reads the entry afresh.
   */
  private async change(key: string, mutate: (holders: Holders) => Holders | undefined, { trustCachedNoChange = false } = {}): Promise<void> {
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const cached = i === 0 ? this.cache.get(key) : undefined;
      const snapshot = cached ?? (await this.read(key));
      const live = this.live(snapshot.holders);
      const next = mutate(live) ?? (Object.keys(live).length !== Object.keys(snapshot.holders).length ? live : undefined);
      if (!next) {
        if (cached && !trustCachedNoChange) continue;
        return;
      }
      const data = encoder.encode(JSON.stringify(next));
      try {
        const revision = snapshot.revision ? await this.kv.update(key, data, snapshot.revision) : await this.kv.create(key, data);
        this.remember(key, revision, next);
        // Our own write freed a slot: local lanes need not wait for the watch to hear of it.
        if (Object.keys(next).length < Object.keys(snapshot.holders).length) this.wakeAll();
        return;
      } catch (e) {
        if (!isKvConflict(e)) throw e;
      }
    }
    throw new Error(`slot ${key}: too much contention`);
  }

  private async read(key: string): Promise<Snapshot> {
    const entry = await this.kv.get(key);
    const snapshot = { revision: entry?.revision ?? 0, holders: parse(entry) };
    this.remember(key, snapshot.revision, snapshot.holders);
    return snapshot;
  }

  /** Keeps the newest revision seen of a scope (the watch may deliver after our own write). */
  private remember(key: string, revision: number, holders: Holders): void {
    const known = this.cache.get(key);
    if (!known || revision > known.revision) this.cache.set(key, { revision, holders });
  }

  private live(holders: Holders): Holders {
    const now = this.now();
    return Object.fromEntries(Object.entries(holders).filter(([, expires]) => expires > now));
  }
}

function withoutCalls(holders: Holders, callIds: Set<string>): Holders {
  return Object.fromEntries(Object.entries(holders).filter(([holder]) => !callIds.has(callIdOfHolder(holder))));
}

function parse(entry: KvEntry | null): Holders {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return {};
  return JSON.parse(decoder.decode(entry.value)) as Holders;
}

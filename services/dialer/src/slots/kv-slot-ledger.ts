import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { GroupCommit } from '@libs/concurrency/group-commit';
import { OwnWrites } from '../shared/own-writes';
import { AcquireResult, callIdOfHolder, EndedCall, SlotLedger, SlotScope, SlotTaker, WaitResult } from './slot-ledger';

/**
 * Holders of one scope: holder id -> lease expiry (epoch ms). A Map, not a plain object: a scope may
 * hold up to 10,000 holders, and counting, copying and walking a large object cost a round several
 * times more (stored as a JSON object all the same).
 */
type Holders = Map<string, number>;
/** One scope's entry at a revision (0: no entry yet). */
interface Snapshot {
  revision: number;
  holders: Holders;
  /** How many holders there are, and the soonest lease expiry: live holders are counted without a scan until then. */
  size: number;
  firstExpiry: number;
}

function snapshotOf(revision: number, holders: Holders): Snapshot {
  let firstExpiry = Infinity;
  for (const expires of holders.values()) firstExpiry = Math.min(firstExpiry, expires);
  return { revision, holders, size: holders.size, firstExpiry };
}

const isScopeKey = (key: string) => key.startsWith('campaign.') || key.startsWith('client.') || key === 'global';

/** A lane waiting for a slot change; one handed its slots is settled only when that write is over. */
interface Waiter {
  taker?: SlotTaker;
  /** The taker's scope keys in one string, to match it with an ended call's. */
  scopeSet?: string;
  handedOver: boolean;
  settle: (result: WaitResult) => void;
}
type TakeResult = 'added' | 'held' | 'full';

/** What one round of writes serves: a call's end (its slots freed), or a job's try for slots. */
type SlotRequest = { end: EndedCall } | { acquire: Omit<SlotTaker, 'rank'> };

/** A job to be put in every one of its scopes in a round, with what each scope's write did for it. */
interface Taking {
  taker: Omit<SlotTaker, 'rank'>;
  taken: Map<string, TakeResult>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_CAS_TRIES = 200;

/**
 * Slots in a JetStream KV bucket: one entry per scope holding the set of its holders, changed only by
 * compare-and-set on the entry's revision, so no interleaving of any number of instances can put more
 * holders in a scope than its limit. Expired leases are dropped whenever an entry is written.
 */
export class KvSlotLedger implements SlotLedger {
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Set<() => void>();
  private watcher?: QueuedIterator<KvEntry>;
  /** The newest revision of each scope this instance knows of, from the watch and its own writes. */
  private readonly cache = new Map<string, Snapshot>();
  private readonly ownWrites = new OwnWrites();
  private readonly rounds = new GroupCommit<SlotRequest, AcquireResult | undefined>((requests) => this.writeRound(requests));

  constructor(
    private readonly kv: KV,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: '>', ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) {
        // Our own writes come back here too, before or after their answer: they are known, or about to
        // be, and woke whom they had to.
        if (!isScopeKey(entry.key) || entry.revision <= (this.cache.get(entry.key)?.revision ?? 0) || this.ownWrites.has(entry)) continue;
        this.remember(entry.key, snapshotOf(entry.revision, parse(entry)));
        this.wakeAll();
      }
    })();
  }

  /**
   * Free slots of every scope as this instance last saw them (the watch, and its own writes): a hint
   * for whether trying to acquire is worth it, never a decision on its own.
   */
  freeSlots(scopes: SlotScope[]): number {
    let free = Infinity;
    for (const scope of scopes) free = Math.min(free, scope.limit - this.liveCount(this.cache.get(scope.key)));
    return free;
  }

  stop(): void {
    this.watcher?.stop();
    this.wakeAll();
  }

  /** The scopes are taken in one round with the other requests of this instance; if one is full the others are given back. */
  async acquire(scopes: SlotScope[], holder: string, leaseMs: number): Promise<AcquireResult> {
    return (await this.rounds.submit({ acquire: { scopes, holder, leaseMs } }))!;
  }

  async release(scopeKeys: string[], holder: string): Promise<void> {
    await Promise.all(
      scopeKeys.map((key) =>
        this.change(key, (holders) => {
          if (!holders.has(holder)) return undefined;
          const rest = new Map(holders);
          rest.delete(holder);
          return rest;
        }),
      ),
    );
  }

  /**
   * Gives back the slots of calls that ended, and hands each freed slot straight to a job of this
   * instance waiting for the same scopes (a taker), in the same write. A taker that did not get a slot
   * in every scope (a limit lowered meanwhile) gives back the ones it got and waits on.
   */
  async endCalls(calls: EndedCall[]): Promise<void> {
    await Promise.all(calls.map((call) => this.rounds.submit({ end: call })));
  }

  /**
   * One compare-and-set per scope for every request that came in while the last round was written:
   * each scope drops the ended calls' holders, then adds the jobs trying for slots, then the takers
   * handed a freed slot, while there is room. A job in some scopes but not all gives those back.
   */
  private async writeRound(requests: SlotRequest[]): Promise<(AcquireResult | undefined)[]> {
    const ended = requests.flatMap((r) => ('end' in r ? [r.end] : []));
    const tryingFor = new Map<SlotRequest, Taking>(requests.flatMap((r) => ('acquire' in r ? [[r, { taker: r.acquire, taken: new Map() }] as const] : [])));
    const handedOver = new Map(this.handOver(ended).map((waiter) => [waiter, { taker: waiter.taker!, taken: new Map() } as Taking]));
    const takings = [...tryingFor.values(), ...handedOver.values()];
    const byScope = new Map<string, { ended: Set<string>; takings: Taking[] }>();
    const scopeOf = (key: string) => byScope.get(key) ?? byScope.set(key, { ended: new Set(), takings: [] }).get(key)!;
    for (const call of ended) for (const key of call.scopeKeys) scopeOf(key).ended.add(call.callId);
    for (const taking of takings) for (const scope of taking.taker.scopes) scopeOf(scope.key).takings.push(taking);
    try {
      await Promise.all([...byScope].map(([key, scope]) => this.writeScope(key, scope.ended, scope.takings)));
    } catch (error) {
      // Not given back (NATS down): slots taken in this round expire with their lease.
      await Promise.all(takings.map((t) => this.giveBackAdded(t).catch(() => undefined)));
      handedOver.forEach((_, waiter) => waiter.settle('changed'));
      throw error;
    }
    try {
      // A job in some scopes but not all gives those back before it hears of it.
      await Promise.all(takings.filter((t) => !inEveryScope(t)).map((t) => this.giveBackAdded(t)));
    } finally {
      // Settled whatever happens: a waiter handed slots is woken by nothing else.
      handedOver.forEach((taking, waiter) => waiter.settle(inEveryScope(taking) ? 'acquired' : 'changed'));
    }
    return requests.map((r) => {
      const taking = tryingFor.get(r);
      if (!taking) return undefined;
      return inEveryScope(taking)
        ? { outcome: 'acquired', added: scopesWith(taking, 'added') }
        : { outcome: 'full', scope: scopesWith(taking, 'full')[0] };
    });
  }

  private writeScope(key: string, ended: Set<string>, takings: Taking[]): Promise<void> {
    return this.change(
      key,
      (holders) => {
        // One copy per scope and round, only when something changes: the holders of a busy scope are many.
        let next = ended.size > 0 ? withoutCalls(holders, ended) : holders;
        const freed = next !== holders && next.size < holders.size;
        let added = false;
        for (const { taker, taken } of takings) {
          const limit = taker.scopes.find((s) => s.key === key)!.limit;
          const result: TakeResult = next.has(taker.holder) ? 'held' : next.size < limit ? 'added' : 'full';
          if (result === 'added') {
            if (next === holders) next = new Map(holders);
            next.set(taker.holder, this.now() + taker.leaseMs);
            added = true;
          }
          taken.set(key, result);
        }
        return added || freed ? next : undefined;
      },
      // With nothing to free, "full" or "held" on a view a moment old is safe: the job waits for the next change.
      { trustCachedNoChange: ended.size === 0 },
    );
  }

  private async giveBackAdded(taking: Taking): Promise<void> {
    const added = scopesWith(taking, 'added');
    if (added.length > 0) await this.release(added, taking.taker.holder);
  }

  /** Picks, for each ended call, the lowest-ranked waiting taker for exactly its scopes. */
  private handOver(calls: EndedCall[]): Waiter[] {
    const picked: Waiter[] = [];
    for (const call of calls) {
      const wanted = scopeSetOf(call.scopeKeys);
      let first: Waiter | undefined;
      for (const w of this.waiters) if (!w.handedOver && w.scopeSet === wanted && (!first || w.taker!.rank < first.taker!.rank)) first = w;
      if (!first) continue;
      first.handedOver = true;
      first.taker!.onHandOver?.();
      picked.push(first);
    }
    return picked;
  }

  async renew(scopeKeys: string[], holder: string, leaseMs: number): Promise<boolean> {
    const held = await Promise.all(
      scopeKeys.map(async (key) => {
        let found = true;
        await this.change(key, (holders) => {
          found = holders.has(holder);
          return found ? new Map(holders).set(holder, this.now() + leaseMs) : undefined;
        });
        return found;
      }),
    );
    return held.every(Boolean);
  }

  async usage(scopeKey: string): Promise<number> {
    return this.live(parse(await this.kv.get(scopeKey))).size;
  }

  /** Call ids holding a slot of one scope now. */
  async holders(scopeKey: string): Promise<string[]> {
    return [...new Set([...this.live(parse(await this.kv.get(scopeKey))).keys()].map(callIdOfHolder))];
  }

  waitForChange(timeoutMs: number, taker?: SlotTaker): Promise<WaitResult> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        taker,
        scopeSet: taker && scopeSetOf(taker.scopes.map((s) => s.key)),
        handedOver: false,
        settle: (result) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(result);
        },
      };
      // A waiter handed its slots is settled by that write, not by the clock.
      const timer = setTimeout(() => !waiter.handedOver && waiter.settle('changed'), timeoutMs);
      this.waiters.add(waiter);
    });
  }

  nudge(): void {
    this.wakeAll();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private wakeAll() {
    for (const waiter of this.waiters) if (!waiter.handedOver) waiter.settle('changed');
    for (const listener of this.listeners) listener();
  }

  /**
   * Read-modify-write of one scope with CAS on its revision; `mutate` returns the new holders or
   * undefined for "no change". Expired holders are dropped before `mutate` sees them. The first try
   * works on the cached revision (no read), and so does a try after a conflict once the cache holds a
   * newer revision than the refused one; otherwise, and after a "no change" the caller cannot take from
   * a view that may be a moment old, the entry is read afresh.
   */
  private async change(key: string, mutate: (holders: Holders) => Holders | undefined, { trustCachedNoChange = false } = {}): Promise<void> {
    let useCache = true;
    let refusedAt = 0;
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const known = this.cache.get(key);
      const cached: Snapshot | undefined = useCache && known && known.revision > refusedAt ? known : undefined;
      const snapshot: Snapshot = cached ?? (await this.read(key));
      // Not copied while no lease has run out (a copy means one has: the soonest); `mutate` copies what it changes.
      const live = this.now() < snapshot.firstExpiry ? snapshot.holders : this.live(snapshot.holders);
      const next = mutate(live) ?? (live !== snapshot.holders ? live : undefined);
      if (!next) {
        if (cached && !trustCachedNoChange) {
          useCache = false;
          continue;
        }
        return;
      }
      const data = encode(next);
      try {
        await this.ownWrites.during(key, data, async () => {
          const revision = snapshot.revision ? await this.kv.update(key, data, snapshot.revision) : await this.kv.create(key, data);
          this.remember(key, snapshotOf(revision, next));
        });
        // Our own write freed a slot: local lanes need not wait for the watch to hear of it.
        if (next.size < snapshot.size) this.wakeAll();
        return;
      } catch (e) {
        if (!isKvConflict(e)) throw e;
        // Another instance wrote first. The watch has usually brought its revision by now: no read then.
        [useCache, refusedAt] = [true, snapshot.revision];
      }
    }
    throw new Error(`slot ${key}: too much contention`);
  }

  private async read(key: string): Promise<Snapshot> {
    const entry = await this.kv.get(key);
    const snapshot = snapshotOf(entry?.revision ?? 0, parse(entry));
    this.remember(key, snapshot);
    return snapshot;
  }

  /** Keeps the newest revision seen of a scope (the watch may deliver after our own write). */
  private remember(key: string, snapshot: Snapshot): void {
    const known = this.cache.get(key);
    if (!known || snapshot.revision > known.revision) this.cache.set(key, snapshot);
  }

  private liveCount(snapshot: Snapshot | undefined): number {
    if (!snapshot) return 0;
    return this.now() < snapshot.firstExpiry ? snapshot.size : this.live(snapshot.holders).size;
  }

  private live(holders: Holders): Holders {
    const now = this.now();
    return holdersWhere(holders, (_holder, expires) => expires > now);
  }
}

const scopeSetOf = (keys: string[]) => [...keys].sort().join(' ');

const inEveryScope = ({ taker, taken }: Taking) => taker.scopes.every((s) => taken.get(s.key) === 'added' || taken.get(s.key) === 'held');

const scopesWith = ({ taker, taken }: Taking, result: TakeResult) => taker.scopes.filter((s) => taken.get(s.key) === result).map((s) => s.key);

function withoutCalls(holders: Holders, callIds: Set<string>): Holders {
  return holdersWhere(holders, (holder) => !callIds.has(callIdOfHolder(holder)));
}

/** A fresh copy of the holders `keep` keeps. */
function holdersWhere(holders: Holders, keep: (holder: string, expires: number) => boolean): Holders {
  const kept: Holders = new Map();
  for (const [holder, expires] of holders) if (keep(holder, expires)) kept.set(holder, expires);
  return kept;
}

/** As stored: a JSON object of holder id -> lease expiry. */
function encode(holders: Holders): Uint8Array {
  const entries: string[] = [];
  for (const [holder, expires] of holders) entries.push(`${JSON.stringify(holder)}:${expires}`);
  return encoder.encode(`{${entries.join(',')}}`);
}

function parse(entry: KvEntry | null): Holders {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return new Map();
  return new Map(Object.entries(JSON.parse(decoder.decode(entry.value)) as Record<string, number>));
}

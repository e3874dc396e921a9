import { KV, KvEntry, QueuedIterator } from 'nats';
import { isKvConflict } from '@libs/nats/kv';
import { AcquireResult, callIdOfHolder, SlotLedger, SlotScope } from './slot-ledger';

/** Holders of one scope: call id -> lease expiry (epoch ms). */
type Holders = Record<string, number>;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_CAS_TRIES = 200;

/**
 * Slots in a JetStream KV bucket: one entry per scope holding the set of its holders, changed only by
 * compare-and-set on the entry's revision, so no interleaving of any number of instances can put more
 * holders in a scope than its limit. Expired leases are dropped whenever an entry is written.
 */
export class KvSlotLedger implements SlotLedger {
  private waiters: (() => void)[] = [];
  private watcher?: QueuedIterator<KvEntry>;

  constructor(
    private readonly kv: KV,
    private readonly now: () => number = Date.now,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: '>', ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) if (entry.key.startsWith('campaign.') || entry.key.startsWith('client.') || entry.key === 'global') this.wakeAll();
    })();
  }

  stop(): void {
    this.watcher?.stop();
    this.wakeAll();
  }

  async acquire(scopes: SlotScope[], holder: string, leaseMs: number): Promise<AcquireResult> {
    const added: string[] = [];
    for (const scope of scopes) {
      const result = await this.take(scope, holder, leaseMs);
      if (result === 'full') {
        await this.release(added, holder);
        return { outcome: 'full', scope: scope.key };
      }
      if (result === 'added') added.push(scope.key);
    }
    return { outcome: 'acquired', added };
  }

  async release(scopeKeys: string[], holder: string): Promise<void> {
    for (const key of scopeKeys) {
      await this.change(key, (holders) => {
        if (!(holder in holders)) return undefined;
        const { [holder]: _gone, ...rest } = holders;
        return rest;
      });
    }
  }

  async releaseCall(scopeKeys: string[], callId: string): Promise<void> {
    for (const key of scopeKeys) {
      await this.change(key, (holders) => {
        const kept = Object.fromEntries(Object.entries(holders).filter(([holder]) => callIdOfHolder(holder) !== callId));
        return Object.keys(kept).length === Object.keys(holders).length ? undefined : kept;
      });
    }
  }

  async renew(scopeKeys: string[], holder: string, leaseMs: number): Promise<boolean> {
    let held = true;
    for (const key of scopeKeys) {
      await this.change(key, (holders) => {
        if (!(holder in holders)) {
          held = false;
          return undefined;
        }
        return { ...holders, [holder]: this.now() + leaseMs };
      });
    }
    return held;
  }

  async usage(scopeKey: string): Promise<number> {
    return Object.keys(this.live(parse(await this.kv.get(scopeKey)))).length;
  }

  /** Call ids holding a slot of one scope now. */
  async holders(scopeKey: string): Promise<string[]> {
    return [...new Set(Object.keys(this.live(parse(await this.kv.get(scopeKey)))).map(callIdOfHolder))];
  }

  changed(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    });
  }

  private wakeAll() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  private async take(scope: SlotScope, holder: string, leaseMs: number): Promise<'added' | 'held' | 'full'> {
    let result: 'added' | 'held' | 'full' = 'full';
    await this.change(scope.key, (holders) => {
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
    });
    return result;
  }

  /**
   * Read-modify-write of one scope with CAS on its revision; `mutate` returns the new holders or
   * undefined for "no change". Expired holders are dropped before `mutate` sees them.
   */
  private async change(key: string, mutate: (holders: Holders) => Holders | undefined): Promise<void> {
    for (let i = 0; i < MAX_CAS_TRIES; i++) {
      const entry = await this.kv.get(key);
      const stored = parse(entry);
      const live = this.live(stored);
      const next = mutate(live) ?? (Object.keys(live).length !== Object.keys(stored).length ? live : undefined);
      if (!next) return;
      const data = encoder.encode(JSON.stringify(next));
      try {
        if (entry) await this.kv.update(key, data, entry.revision);
        else await this.kv.create(key, data);
        return;
      } catch (e) {
        if (!isKvConflict(e)) throw e;
      }
    }
    throw new Error(`slot ${key}: too much contention`);
  }

  private live(holders: Holders): Holders {
    const now = this.now();
    return Object.fromEntries(Object.entries(holders).filter(([, expires]) => expires > now));
  }
}

function parse(entry: KvEntry | null): Holders {
  if (!entry || entry.operation !== 'PUT' || entry.value.length === 0) return {};
  return JSON.parse(decoder.decode(entry.value)) as Holders;
}

/** A call that ended, and the scopes it held a slot in. */
export interface EndedCall {
  callId: string;
  scopeKeys: string[];
}

/** One concurrency scope a call occupies: `campaign.<id>`, `client.<id>` or `global`, with its current limit. */
export interface SlotScope {
  key: string;
  limit: number;
}

/**
 * A job that waits for slots and may be handed the slots of a call that ends meanwhile, in the same
 * compare-and-set that frees them (see KvSlotLedger.endCalls): no release, wake-up and new take between.
 */
export interface SlotTaker {
  scopes: SlotScope[];
  holder: string;
  leaseMs: number;
  /** Queue position: of several takers for the same scopes, the lowest is handed a slot first. */
  rank: number;
  /**
   * Called as a freed slot is being handed to this taker, while that write is under way: a head start
   * for what the taker does next. The wait may still end `changed` (a limit lowered meanwhile).
   */
  onHandOver?: () => void;
}

/** Why a wait for slots ended: a slot change worth trying again for, or this taker was handed its slots. */
export type WaitResult = 'changed' | 'acquired';

export type AcquireResult =
  /** Every scope now holds the call; `added` lists the scopes this call newly took. */
  | { outcome: 'acquired'; added: string[] }
  /** A scope is at its limit; nothing is held. */
  | { outcome: 'full'; scope: string };

/**
 * Concurrency slots shared by every dialer instance. A slot is held under a holder id, so taking and
 * giving back are idempotent, and a holder that never reports back expires after its lease. Holder
 * ids are `<callId>@<token>`, one token per dialer working on the job: two dialers that hold copies of
 * one job (a redelivery) each count, and one giving its copy back never frees the other's slots.
 */
export interface SlotLedger {
  acquire(scopes: SlotScope[], holder: string, leaseMs: number): Promise<AcquireResult>;
  release(scopeKeys: string[], holder: string): Promise<void>;
  /** Gives back every slot held for these calls, by whichever dialer (their end is known). */
  endCalls(calls: EndedCall[]): Promise<void>;
  /** Extends the lease of a holder in every scope; false when it no longer holds one of them (its lease ran out). */
  renew(scopeKeys: string[], holder: string, leaseMs: number): Promise<boolean>;
  /** Free slots (the least over the scopes) as this instance last saw them: a hint, not a decision. */
  freeSlots(scopes: SlotScope[]): number;
  /** Live holders of one scope. */
  usage(scopeKey: string): Promise<number>;
  /**
   * Resolves on the next change of any slot (or after `timeoutMs`): the moment to try again. With a
   * `taker`, resolves `acquired` when a call ending meanwhile handed it its slots in every scope.
   */
  waitForChange(timeoutMs: number, taker?: SlotTaker): Promise<WaitResult>;
  /** Wakes this instance's waiters as a slot change would (a job ahead of them stopped waiting). */
  nudge(): void;
  /** Calls `listener` on every slot change this instance hears of (and on `nudge`); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
}

export const scopeKeys = {
  campaign: (campaignId: string) => `campaign.${campaignId}`,
  client: (clientId: string) => `client.${clientId}`,
  global: 'global',
};

/** The holder id of one dialer's hold on a call's slots. */
export function holderOf(callId: string, token: string): string {
  return `${callId}@${token}`;
}

/** The call a holder id holds slots for (a bare call id stays as it is). */
export function callIdOfHolder(holder: string): string {
  const at = holder.indexOf('@');
  return at < 0 ? holder : holder.slice(0, at);
}

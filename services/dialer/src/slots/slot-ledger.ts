/** One concurrency scope a call occupies: `campaign.<id>`, `client.<id>` or `global`, with its current limit. */
export interface SlotScope {
  key: string;
  limit: number;
}

export type AcquireResult =
  /** Every scope now holds the call; `added` lists the scopes this call newly took. */
  | { outcome: 'acquired'; added: string[] }
  /** A scope is at its limit; nothing is held. */
  | { outcome: 'full'; scope: string };

/**
 * Concurrency slots shared by every dialer instance. A slot is held under the call id, so taking and
 * giving back are idempotent, and a holder that never reports back expires after its lease.
 */
export interface SlotLedger {
  acquire(scopes: SlotScope[], holder: string, leaseMs: number): Promise<AcquireResult>;
  release(scopeKeys: string[], holder: string): Promise<void>;
  /** Live holders of one scope. */
  usage(scopeKey: string): Promise<number>;
  /** Resolves on the next change of any slot (or after `timeoutMs`): the moment to try again. */
  changed(timeoutMs: number): Promise<void>;
}

export const scopeKeys = {
  campaign: (campaignId: string) => `campaign.${campaignId}`,
  client: (clientId: string) => `client.${clientId}`,
  global: 'global',
};

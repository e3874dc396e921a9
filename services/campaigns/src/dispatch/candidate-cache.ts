import { ContactDoc } from '../read-models/contacts.read-model';

/**
 * Per campaign, the next contacts to dial as last read, kept for a short while and handed out in
 * order: one read serves many feeds. Every collection scan counts on a MongoDB-wire server that only
 * indexes `_id` (FerretDB). A stale entry is harmless: a contact is queued only if it is still
 * pending at the same attempt; changes that reorder the campaign (contacts added, retries due,
 * hand-backs) drop the entry at once. A read that found every contact left is kept too, so that the
 * end of a campaign (few or no contacts waiting, a feed after every call) does not read on every feed.
 */
export class CandidateCache {
  private readonly entries = new Map<string, { key: string; docs: ContactDoc[]; all: boolean; until: number }>();

  constructor(private readonly ttlMs: number) {}

  /**
   * `count` contacts read under `key` (order, open time zones), fewer (even none) when the read found
   * every contact left, or undefined when they must be read anew.
   */
  take(campaignId: string, key: string, count: number): ContactDoc[] | undefined {
    const entry = this.entries.get(campaignId);
    if (!entry || entry.key !== key || entry.until < Date.now() || (entry.docs.length < count && !entry.all)) return undefined;
    return entry.docs.splice(0, count);
  }

  /** `all`: the read found fewer contacts than it asked for, so none are left beyond these. */
  put(campaignId: string, key: string, docs: ContactDoc[], all: boolean): void {
    this.entries.set(campaignId, { key, docs, all, until: Date.now() + this.ttlMs });
  }

  drop(campaignId: string): void {
    this.entries.delete(campaignId);
  }
}

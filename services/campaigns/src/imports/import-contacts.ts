import { contactBatches } from './contact-batches';
import { ContactIndex } from './contact-index';

export const campaignScope = (campaignId: string) => `campaign.${campaignId}`;
export const listScope = (listId: string) => `list.${listId}`;

/**
 * Publishes the contacts of one import that the campaign or list does not have yet: claims them in the
 * contact index, then publishes them in size-bounded batches (`publish(batch, index)`). Claims of
 * batches that could not be published are given back. Returns the contacts published.
 */
export async function importFreshContacts<C extends { contactId: string }>(
  index: ContactIndex,
  scope: string,
  claimant: string,
  candidates: C[],
  publish: (batch: C[], batchIndex: number) => Promise<void>,
): Promise<C[]> {
  const claimed = await index.claim(scope, candidates.map((c) => c.contactId), claimant);
  const fresh = candidates.filter((c) => claimed.has(c.contactId));
  const batches = contactBatches(fresh);
  for (const [i, batch] of batches.entries()) {
    try {
      await publish(batch, i);
    } catch (e) {
      await index.release(scope, batches.slice(i).flat().map((c) => c.contactId));
      throw e;
    }
  }
  return fresh;
}

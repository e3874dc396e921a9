import { KV } from 'nats';
import { isKvConflict } from '@libs/nats/kv';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Which contacts a campaign or list already has, in the `contact_index` KV bucket (key
 * `<scope>.<contactId>`, e.g. `campaign.<id>.<contactId>`): an import claims its contacts with
 * create-if-absent before publishing them, so a number is accepted once per campaign or list, across
 * chunks, uploads and service instances. A MongoDB lookup cannot do this here: FerretDB answers an
 * `_id $in` query by scanning the collection.
 *
 * The value names the claimant (the chunk's command id): a retried command finds its own claims and
 * accepts those contacts again. A claim whose batch was never published (the service died in between)
 * and whose command is not retried leaves that number refused as a duplicate.
 */
export class ContactIndex {
  constructor(private readonly kv: KV) {}

  /** The ids that are now `claimant`'s: newly claimed, or claimed by it before. */
  async claim(scope: string, ids: string[], claimant: string): Promise<Set<string>> {
    const value = encoder.encode(claimant);
    const created: string[] = [];
    const outcomes = await Promise.allSettled(
      ids.map(async (id) => {
        const key = `${scope}.${id}`;
        try {
          await this.kv.create(key, value);
          created.push(id);
          return id;
        } catch (e) {
          if (!isKvConflict(e)) throw e;
          const entry = await this.kv.get(key);
          return entry && entry.operation === 'PUT' && decoder.decode(entry.value) === claimant ? id : undefined;
        }
      }),
    );
    const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failure) {
      await this.release(scope, created);
      throw failure.reason;
    }
    return new Set(outcomes.map((o) => (o as PromiseFulfilledResult<string | undefined>).value).filter((id): id is string => !!id));
  }

  /** Gives claims back (their batch could not be published). */
  async release(scope: string, ids: string[]): Promise<void> {
    await Promise.allSettled(ids.map((id) => this.kv.delete(`${scope}.${id}`)));
  }
}

import { EndedCall } from './slot-ledger';

/**
 * Group commit of slot releases: calls that end while a release is being written wait for the next
 * one, which frees all of them with a single compare-and-set per scope. Under load this turns N
 * read-modify-writes of the same hot entries (each scope is shared by every call in it) into a few,
 * and so frees slots sooner. Each `release` resolves once its call's slots are given back.
 */
export class ReleaseBatcher {
  private pending: { call: EndedCall; done: (error?: unknown) => void }[] = [];
  private writing?: Promise<void>;

  constructor(private readonly endCalls: (calls: EndedCall[]) => Promise<void>) {}

  release(call: EndedCall): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ call, done: (error) => (error ? reject(error) : resolve()) });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await this.endCalls(batch.map(({ call }) => call));
        batch.forEach(({ done }) => done());
      } catch (error) {
        batch.forEach(({ done }) => done(error));
      }
    }
    this.writing = undefined;
  }
}

/**
 * Group commit: requests that come in while a write is under way wait for the next one, which serves
 * all of them at once. Under load this turns N read-modify-writes of the same hot entries (each slot
 * scope is shared by every call in it) into a few, with no conflicts among them. Each `submit`
 * resolves with its own request's result, or rejects with the error of its write.
 */
export class GroupCommit<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing?: Promise<void>;

  /** `write` answers one result per request, in order. */
  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        const results = await this.write(batch.map(({ item }) => item));
        batch.forEach(({ resolve }, i) => resolve(results[i]));
      } catch (error) {
        batch.forEach(({ reject }) => reject(error));
      }
    }
    this.writing = undefined;
  }
}

/**
 * Group commit: requests that come in while a write is under way wait for the next one, which serves
 * all of them at once. Under load this turns N read-modify-writes of the same hot entries (each slot
 * scope is shared by every call in it) into a few, with no conflicts among them. Each `submit`
 * resolves with its own request's result, or rejects with the error of its write.
 *
 * With `lingerMs`, each write waits that long after the first request it serves before it starts, to
 * gather more: for writers where a little delay is worth fewer round trips (a read model), never for
 * one on the way to a call.
 */
export class GroupCommit<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing?: Promise<void>;

  /** `write` answers one result per request, in order. */
  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: { lingerMs?: number } = {},
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.writing ??= this.writeAll();
    });
  }

  private async writeAll(): Promise<void> {
    const { lingerMs = 0 } = this.options;
    while (this.pending.length > 0) {
      if (lingerMs > 0) await new Promise((r) => setTimeout(r, lingerMs));
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

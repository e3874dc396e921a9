import { KvEntry } from 'nats';

/**
 * This instance's writes to KV entries whose answer has not come back yet. A watch of the same bucket
 * may deliver such a write before its answer; recognised here, it is not taken for someone else's change.
 */
export class OwnWrites {
  private readonly inFlight = new Map<string, Set<Uint8Array>>();

  /**
   * Runs `write` (of `data` to `key`) with the write known as this instance's until it is answered.
   * `write` records the revision it got before it resolves: the watch may deliver the entry in between.
   */
  async during<T>(key: string, data: Uint8Array, write: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key) ?? this.inFlight.set(key, new Set()).get(key)!;
    pending.add(data);
    try {
      return await write();
    } finally {
      pending.delete(data);
      if (pending.size === 0) this.inFlight.delete(key);
    }
  }

  /** The watched entry is one of these writes. */
  has(entry: KvEntry): boolean {
    for (const data of this.inFlight.get(entry.key) ?? []) if (Buffer.compare(data, entry.value) === 0) return true;
    return false;
  }
}

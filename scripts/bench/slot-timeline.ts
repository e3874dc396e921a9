import { KV, KvEntry, QueuedIterator } from 'nats';

/** When each holder of one slot scope appeared and disappeared, as seen through a KV watch. */
export interface HolderSpan {
  holder: string;
  takenAt: number;
  freedAt?: number;
}

const decoder = new TextDecoder();

/**
 * Watches one scope's entry in the slots bucket and records every holder's span. The bucket keeps one
 * revision per key, so it must be watching before the campaign starts. Times are when the watch saw
 * the change (this process's clock; all processes of a bench share the machine's clock).
 */
export class SlotTimeline {
  private readonly spans = new Map<string, HolderSpan>();
  private watcher?: QueuedIterator<KvEntry>;
  private current = new Set<string>();

  constructor(
    private readonly kv: KV,
    private readonly key: string,
  ) {}

  async start(): Promise<void> {
    this.watcher = await this.kv.watch({ key: this.key, ignoreDeletes: false });
    void (async () => {
      for await (const entry of this.watcher!) this.observe(entry);
    })();
  }

  stop(): HolderSpan[] {
    this.watcher?.stop();
    return [...this.spans.values()];
  }

  private observe(entry: KvEntry): void {
    const at = Date.now();
    const holders = new Set(entry.operation === 'PUT' && entry.value.length ? Object.keys(JSON.parse(decoder.decode(entry.value)) as object) : []);
    for (const holder of holders) if (!this.current.has(holder)) this.spans.set(holder, { holder, takenAt: at });
    for (const holder of this.current) {
      const span = this.spans.get(holder);
      if (!holders.has(holder) && span && span.freedAt === undefined) span.freedAt = at;
    }
    this.current = holders;
  }
}

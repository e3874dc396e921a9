import { KV, KvEntry, QueuedIterator } from 'nats';
import { CampaignRuntime, ClientRuntime } from '@contracts/dialing/runtime';

const decoder = new TextDecoder();

/** Live in-memory mirror of a KV bucket of JSON values, with a callback on every change. */
export class KvMirror<T> {
  private readonly values = new Map<string, T>();
  private watcher?: QueuedIterator<KvEntry>;

  constructor(private readonly kv: KV) {}

  /** Resolves once the current values are loaded; later changes keep arriving through `onChange`. */
  async start(onChange: (key: string, value: T | undefined) => void): Promise<void> {
    let markReady!: () => void;
    const ready = new Promise<void>((r) => (markReady = r));
    this.watcher = await this.kv.watch({
      key: '>',
      initializedFn: () => markReady(),
    });
    void (async () => {
      for await (const entry of this.watcher!) {
        if (entry.operation === 'PUT') this.values.set(entry.key, JSON.parse(decoder.decode(entry.value)) as T);
        else this.values.delete(entry.key);
        onChange(entry.key, this.values.get(entry.key));
      }
    })();
    await ready;
  }

  get(key: string): T | undefined {
    return this.values.get(key);
  }

  stop(): void {
    this.watcher?.stop();
  }
}

export type CampaignRuntimes = KvMirror<CampaignRuntime>;
export type ClientRuntimes = KvMirror<ClientRuntime>;

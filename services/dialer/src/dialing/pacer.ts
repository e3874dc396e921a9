import { KV } from 'nats';
import { isKvConflict } from '@libs/nats/kv';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Account-wide pacing of Call API requests across every dialer instance: one KV entry holds the
 * earliest time the next request may go; each request moves it on by 1/cps with compare-and-set, then
 * waits for its own turn. No instance can push the account past `cps` whatever the interleaving.
 */
export class Pacer {
  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly cps: number,
    private readonly now: () => number = Date.now,
  ) {}

  async take(): Promise<void> {
    const interval = 1000 / this.cps;
    for (;;) {
      const entry = await this.kv.get(this.key);
      const next = entry && entry.operation === 'PUT' && entry.value.length ? Number(decoder.decode(entry.value)) : 0;
      const turn = Math.max(this.now(), next);
      const data = encoder.encode(String(turn + interval));
      try {
        if (entry) await this.kv.update(this.key, data, entry.revision);
        else await this.kv.create(this.key, data);
      } catch (e) {
        if (isKvConflict(e)) continue;
        throw e;
      }
      const wait = turn - this.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      return;
    }
  }
}

import { writeFileSync } from 'node:fs';
import { documentsOf } from './mongo-wire';

/** What a command does and to which fields, without values: `contacts find {campaignId,status} sort {order}`. */
export function commandShapeOf(message: Buffer): string | undefined {
  const { body, sequences: documents } = documentsOf(message);
  if (!body) return undefined;
  const [command] = Object.keys(body);
  const keys = (v: unknown) => (v && typeof v === 'object' ? `{${Object.keys(v).join(',')}}` : '');
  const first = [...((body.updates as unknown[]) ?? []), ...((body.deletes as unknown[]) ?? []), ...documents][0] as Record<string, unknown> | undefined;
  const filter = body.filter ?? body.query ?? first?.q ?? (body.pipeline as Record<string, unknown>[] | undefined)?.[0]?.$match;
  const sort = body.sort ? ` sort ${keys(body.sort)}` : '';
  return `${String(body.$db)}.${String(body[command])} ${command} ${keys(filter)}${sort}`;
}

/**
 * Sums the time the server took per command shape (request to reply), for benchmarks: which queries a
 * MongoDB-wire server spends its time on. Written to `file` as JSON, slowest total first.
 */
export class WireProfile {
  private readonly totals = new Map<string, { n: number; ms: number; maxMs: number }>();

  constructor(private readonly file: string) {}

  /** Request ids are only unique within a connection: one of these per connection. */
  connection() {
    const pending = new Map<number, { shape: string; at: number }>();
    return {
      request: (requestId: number, message: Buffer): void => {
        const shape = commandShapeOf(message);
        if (shape) pending.set(requestId, { shape, at: performance.now() });
      },
      reply: (responseTo: number): void => {
        const started = pending.get(responseTo);
        if (!started) return;
        pending.delete(responseTo);
        this.add(started.shape, performance.now() - started.at);
      },
    };
  }

  private add(shape: string, ms: number): void {
    const total = this.totals.get(shape) ?? { n: 0, ms: 0, maxMs: 0 };
    this.totals.set(shape, { n: total.n + 1, ms: total.ms + ms, maxMs: Math.max(total.maxMs, ms) });
  }

  write(): void {
    const rows = [...this.totals].map(([shape, t]) => ({ shape, n: t.n, totalMs: Math.round(t.ms), meanMs: +(t.ms / t.n).toFixed(2), maxMs: Math.round(t.maxMs) }));
    writeFileSync(this.file, JSON.stringify(rows.sort((a, b) => b.totalMs - a.totalMs), null, 1));
  }
}

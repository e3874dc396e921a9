import { EventEnvelope, EventMetadata } from '@contracts/envelope';

/** What every command brings from the edge: who, when, and ids to derive event ids from. */
export interface CommandMetadata {
  /** Unique per command; a retried command reuses it, so its events get the same ids (deduplicated). */
  commandId: string;
  correlationId: string;
  /** ISO time the command was received; the domain never reads the clock. */
  now: string;
  /** Who issued it (client id, 'scheduler', 'system', ...). */
  by: string;
}

/** Metadata of a command received now from a request that carries its ids. */
export function commandMetadata(req: { commandId: string; correlationId: string }, by: string): CommandMetadata {
  return { commandId: req.commandId, correlationId: req.correlationId, now: new Date().toISOString(), by };
}

/** Builds the envelope of the `index`-th event decided for a command. */
export function makeEvent<T extends string, D>(
  contract: { type: T; version: number },
  data: D,
  meta: CommandMetadata,
  ids: Omit<EventMetadata, 'correlationId' | 'causationId'>,
  index = 0,
): EventEnvelope<T, D> {
  return {
    id: `${meta.commandId}:${index}`,
    type: contract.type,
    version: contract.version,
    occurredAt: meta.now,
    data,
    metadata: { ...ids, correlationId: meta.correlationId, causationId: meta.commandId },
  };
}

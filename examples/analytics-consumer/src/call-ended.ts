// Reads one message of the CALLS stream as the contract describes it (contracts/README.md): a JSON
// envelope {id, type, version, occurredAt, data, metadata}. Only CallEnded v1 is of interest; other
// types and versions are skipped, as the contract asks of every consumer.
import { CALL_OUTCOMES, CallOutcome } from '@contracts';

export interface EndedCall {
  eventId: string;
  callId: string;
  campaignId: string;
  clientId: string;
  outcome: CallOutcome;
  endedAt: string;
  /** The UTC hour the call ended in: "2026-11-20T10:00Z". */
  hour: string;
}

export type Parsed = { kind: 'ended'; call: EndedCall } | { kind: 'skip'; why: string } | { kind: 'invalid'; why: string };

export function parseCallEnded(payload: Uint8Array | string): Parsed {
  let event: any;
  try {
    event = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    return { kind: 'invalid', why: 'not JSON' };
  }
  if (typeof event !== 'object' || event === null) return { kind: 'invalid', why: 'not an event envelope' };
  if (event.type !== 'CallEnded' || event.version !== 1) return { kind: 'skip', why: `${event.type} v${event.version}` };
  const data = event.data ?? {};
  const endedAt = typeof data.endedAt === 'string' ? new Date(data.endedAt) : undefined;
  if (typeof event.id !== 'string' || typeof data.callId !== 'string' || !endedAt || Number.isNaN(endedAt.getTime())) {
    return { kind: 'invalid', why: 'CallEnded v1 without id, callId or a valid endedAt' };
  }
  if (!(CALL_OUTCOMES as readonly string[]).includes(data.outcome)) return { kind: 'invalid', why: `unknown outcome ${data.outcome}` };
  return {
    kind: 'ended',
    call: {
      eventId: event.id,
      callId: data.callId,
      campaignId: String(data.campaignId ?? event.metadata?.campaignId ?? ''),
      clientId: String(data.clientId ?? event.metadata?.clientId ?? ''),
      outcome: data.outcome,
      endedAt: endedAt.toISOString(),
      hour: hourOf(endedAt),
    },
  };
}

export function hourOf(time: Date): string {
  return `${time.toISOString().slice(0, 13)}:00Z`;
}

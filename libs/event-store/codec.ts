import { EventEnvelope } from '@contracts/envelope';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeEvent(event: EventEnvelope): Uint8Array {
  return encoder.encode(JSON.stringify(event));
}

export function decodeJson<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

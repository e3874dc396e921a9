import { BSON } from 'mongodb';

// Just enough of the MongoDB wire protocol to frame messages and name OP_MSG commands.
// https://www.mongodb.com/docs/manual/reference/mongodb-wire-protocol/

const OP_MSG = 2013;
const MORE_TO_COME = 1 << 1;

/** Splits a byte stream into whole wire messages (each starts with its int32 length). */
export class MessageFramer {
  private buffered: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const messages: Buffer[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readInt32LE(0);
      if (length < 16) throw new Error(`invalid wire message length ${length}`);
      if (this.buffered.length < length) break;
      messages.push(this.buffered.subarray(0, length));
      this.buffered = this.buffered.subarray(length);
    }
    return messages;
  }
}

export const requestIdOf = (message: Buffer): number => message.readInt32LE(4);
export const responseToOf = (message: Buffer): number => message.readInt32LE(8);

/** True for an OP_MSG whose sender expects no reply (or, from the server, sends more). */
export function hasMoreToCome(message: Buffer): boolean {
  return message.readInt32LE(12) === OP_MSG && (message.readUInt32LE(16) & MORE_TO_COME) !== 0;
}

/** Offset of the body section's BSON document in an OP_MSG, or undefined. */
function bodyOffsetOf(message: Buffer): number | undefined {
  if (message.readInt32LE(12) !== OP_MSG) return undefined;
  let offset = 20;
  while (offset < message.length) {
    if (message[offset] === 0) return offset + 1;
    // kind 1 (document sequence): int32 size (including itself), then the sequence
    offset += 1 + message.readInt32LE(offset + 1);
  }
  return undefined;
}

/** The documents of an OP_MSG: its body section, and those of its document sequences (kind 1), e.g. an update's `updates`. */
export function documentsOf(message: Buffer): { body?: Record<string, unknown>; sequences: Record<string, unknown>[] } {
  const sequences: Record<string, unknown>[] = [];
  let body: Record<string, unknown> | undefined;
  if (message.readInt32LE(12) !== OP_MSG) return { sequences };
  for (let offset = 20; offset < message.length; ) {
    const size = message.readInt32LE(offset + 1);
    if (message[offset] === 0) {
      body = BSON.deserialize(message.subarray(offset + 1, offset + 1 + size));
      offset += 1 + size;
      continue;
    }
    // kind 1: int32 size (including itself), the sequence's cstring name, then documents to the end
    const end = offset + 1 + size;
    for (let at = message.indexOf(0, offset + 5) + 1; at < end; at += message.readInt32LE(at)) {
      sequences.push(BSON.deserialize(message.subarray(at, at + message.readInt32LE(at))));
    }
    offset = end;
  }
  return { body, sequences };
}

/** The command of an OP_MSG (the first key of its body section), or undefined. */
export function commandNameOf(message: Buffer): string | undefined {
  const body = bodyOffsetOf(message);
  if (body === undefined) return undefined;
  // BSON document = int32 size, then elements of type byte + cstring name + value
  const nameStart = body + 4 + 1;
  const nameEnd = message.indexOf(0, nameStart);
  return nameEnd < 0 ? undefined : message.toString('utf8', nameStart, nameEnd);
}

/** The database an OP_MSG command addresses (its `$db` field), or undefined. */
export function databaseOf(message: Buffer): string | undefined {
  const body = bodyOffsetOf(message);
  if (body === undefined) return undefined;
  const size = message.readInt32LE(body);
  const doc = BSON.deserialize(message.subarray(body, body + size), { promoteBuffers: true });
  return typeof doc.$db === 'string' ? doc.$db : undefined;
}

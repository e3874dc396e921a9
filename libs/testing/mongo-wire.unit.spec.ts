import { BSON } from 'mongodb';
import { commandNameOf, hasMoreToCome, MessageFramer, requestIdOf, responseToOf } from './mongo-wire';

function opMsg(body: object, { requestId = 7, responseTo = 0, flags = 0, sequence = false } = {}): Buffer {
  const parts: Buffer[] = [];
  if (sequence) {
    // a kind-1 section before the body, as drivers may send for bulk writes
    const docs = BSON.serialize({ q: {} });
    const id = Buffer.from('updates\0');
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length);
    parts.push(Buffer.from([1]), size, id, Buffer.from(docs));
  }
  parts.push(Buffer.from([0]), Buffer.from(BSON.serialize(body)));
  const header = Buffer.alloc(20);
  const length = 20 + parts.reduce((sum, part) => sum + part.length, 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(flags, 16);
  return Buffer.concat([header, ...parts]);
}

describe('mongo-wire', () => {
  it('names the command of an OP_MSG, also after a document sequence', () => {
    expect(commandNameOf(opMsg({ update: 'contacts', $db: 'x' }))).toBe('update');
    expect(commandNameOf(opMsg({ find: 'contacts', $db: 'x' }, { sequence: true }))).toBe('find');
  });

  it('reads ids and the moreToCome flag', () => {
    const message = opMsg({ insert: 'c' }, { requestId: 42, responseTo: 9, flags: 2 });

    expect(requestIdOf(message)).toBe(42);
    expect(responseToOf(message)).toBe(9);
    expect(hasMoreToCome(message)).toBe(true);
    expect(hasMoreToCome(opMsg({ insert: 'c' }))).toBe(false);
  });

  it('frames whole messages out of arbitrary chunks', () => {
    const a = opMsg({ ping: 1 });
    const b = opMsg({ find: 'calls' });
    const stream = Buffer.concat([a, b]);
    const framer = new MessageFramer();

    const first = framer.push(stream.subarray(0, a.length + 3));
    const rest = framer.push(stream.subarray(a.length + 3));

    expect(first.map(commandNameOf)).toEqual(['ping']);
    expect(rest.map(commandNameOf)).toEqual(['find']);
  });
});

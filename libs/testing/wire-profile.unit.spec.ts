import { BSON } from 'mongodb';
import { commandShapeOf } from './wire-profile';

/** An OP_MSG with a body section and, optionally, one document sequence (as drivers send updates). */
function opMsg(body: object, sequence?: { id: string; docs: object[] }): Buffer {
  const sections = [Buffer.concat([Buffer.from([0]), BSON.serialize(body)])];
  if (sequence) {
    const docs = Buffer.concat(sequence.docs.map((d) => BSON.serialize(d)));
    const id = Buffer.from(`${sequence.id}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + id.length + docs.length);
    sections.push(Buffer.concat([Buffer.from([1]), size, id, docs]));
  }
  const header = Buffer.alloc(20);
  const length = 20 + sections.reduce((n, s) => n + s.length, 0);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, ...sections]);
}

describe('commandShapeOf', () => {
  it('names the collection, the command and the filter fields, without values', () => {
    expect(commandShapeOf(opMsg({ find: 'contacts', filter: { campaignId: 'k', status: 'pending' }, sort: { order: 1 }, $db: 'campaigns' }))).toBe(
      'campaigns.contacts find {campaignId,status} sort {order}',
    );
  });

  it('reads the filter of an update sent as a document sequence', () => {
    const message = opMsg({ update: 'calls', $db: 'tracking' }, { id: 'updates', docs: [{ q: { _id: 'c1' }, u: { $set: { a: 1 } } }] });
    expect(commandShapeOf(message)).toBe('tracking.calls update {_id}');
  });

  it('takes the first $match of an aggregation', () => {
    expect(commandShapeOf(opMsg({ aggregate: 'contacts', pipeline: [{ $match: { campaignId: 'k' } }, { $group: { _id: '$status' } }], $db: 'c' }))).toBe(
      'c.contacts aggregate {campaignId}',
    );
  });
});

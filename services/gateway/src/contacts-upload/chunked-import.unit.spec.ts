import { AddContactsResponse } from '@contracts/commands';
import { ImportChunk, importInChunks, ImportInterrupted } from './chunked-import';
import { UploadRow } from './csv-rows';

const limits = { maxRows: 3, maxBytes: 10_000, maxRowBytes: 200, listedRejections: 2 };
const contact = (row: number, extra: Record<string, unknown> = {}): UploadRow => ({ row, contact: { phoneNumber: `+1415555${1000 + row}`, ...extra } });

async function* from(rows: UploadRow[], failAfter?: number) {
  for (const [i, row] of rows.entries()) {
    if (failAfter !== undefined && i === failAfter) throw new Error('upload broke');
    yield row;
  }
}

/** A fake campaigns service: accepts every contact, rejects none. */
function recorder(answer: (chunk: ImportChunk) => Partial<AddContactsResponse> = () => ({})) {
  const chunks: ImportChunk[] = [];
  const send = async (chunk: ImportChunk): Promise<AddContactsResponse> => {
    chunks.push({ ...chunk, contacts: [...chunk.contacts] });
    return { accepted: chunk.contacts.length, rejected: [], duplicates: 0, ...answer(chunk) };
  };
  return { chunks, send };
}

describe('importInChunks', () => {
  it('sends consecutive rows in chunks of at most maxRows, numbered, one at a time', async () => {
    const { chunks, send } = recorder();
    const summary = await importInChunks(from([2, 3, 4, 5, 6, 7, 8].map((r) => contact(r))), send, limits);
    expect(chunks.map((c) => [c.index, c.firstRow, c.contacts.length])).toEqual([
      [0, 2, 3],
      [1, 5, 3],
      [2, 8, 1],
    ]);
    expect(summary).toEqual({ accepted: 7, rejected: [], rejectedCount: 0, duplicates: 0 });
  });

  it('starts a new chunk at a gap in the row numbers and before the byte limit is passed', async () => {
    const { chunks, send } = recorder();
    await importInChunks(from([contact(2), contact(4), contact(5, { note: 'x'.repeat(120) }), contact(6, { note: 'y'.repeat(120) })]), send, {
      ...limits,
      maxBytes: 300,
    });
    expect(chunks.map((c) => [c.firstRow, c.contacts.length])).toEqual([
      [2, 1],
      [4, 2],
      [6, 1],
    ]);
  });

  it('adds up the answers and lists only the first rejections, in row order, counting all', async () => {
    const { chunks, send } = recorder((chunk) => ({
      accepted: chunk.contacts.length - 1,
      duplicates: 1,
      rejected: [{ row: chunk.firstRow, phoneNumber: 'x', reason: 'bad' }],
    }));
    const rows: UploadRow[] = [contact(2), { row: 3, rejected: { phoneNumber: '', reason: 'too many fields' } }, contact(4), contact(5, { note: 'z'.repeat(300) }), contact(6)];
    const summary = await importInChunks(from(rows), send, limits);
    expect(chunks.map((c) => c.firstRow)).toEqual([2, 4, 6]);
    expect(summary).toEqual({
      accepted: 0,
      duplicates: 3,
      rejectedCount: 5,
      rejected: [
        { row: 2, phoneNumber: 'x', reason: 'bad' },
        { row: 3, phoneNumber: '', reason: 'too many fields' },
      ],
    });
  });

  it('reports what was imported when the upload or the service fails part-way', async () => {
    const { send } = recorder();
    const broken = importInChunks(from([2, 3, 4, 5, 6].map((r) => contact(r)), 4), send, limits);
    await expect(broken).rejects.toBeInstanceOf(ImportInterrupted);
    await expect(broken).rejects.toMatchObject({ progress: { accepted: 3, lastRow: 4 }, reason: new Error('upload broke') });

    let calls = 0;
    const failing = importInChunks(from([2, 3, 4, 5].map((r) => contact(r))), async (chunk) => {
      if (calls++ === 1) throw new Error('503');
      return { accepted: chunk.contacts.length, rejected: [], duplicates: 0 };
    }, limits);
    await expect(failing).rejects.toMatchObject({ progress: { accepted: 3, lastRow: 4 } });
  });
});

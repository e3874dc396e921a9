import { AddContactsResponse } from '@contracts/commands';
import { UploadRow } from './csv-rows';

export interface ImportChunk {
  /** 0, 1, 2, ... in upload order; makes each chunk's command id unique. */
  index: number;
  /** Row number of the first contact; the rows of one chunk are consecutive. */
  firstRow: number;
  contacts: Record<string, unknown>[];
}

export type Rejection = AddContactsResponse['rejected'][number];

export interface ImportSummary {
  accepted: number;
  /** The first `listedRejections` rejected rows, in row order. */
  rejected: Rejection[];
  /** Every rejected row, listed or not. */
  rejectedCount: number;
  duplicates: number;
}

export interface ChunkLimits {
  maxRows: number;
  /** JSON bytes of one chunk's contacts; keeps each NATS request well under 1 MiB. */
  maxBytes: number;
  /** A single contact larger than this is rejected as a row. */
  maxRowBytes: number;
  listedRejections: number;
}

/** The import stopped part-way; what was sent before stays imported, as `progress` reports. */
export class ImportInterrupted extends Error {
  constructor(
    readonly reason: unknown,
    /** `lastRow`: every row up to this one was handled (0: none). */
    readonly progress: ImportSummary & { lastRow: number },
  ) {
    super(`import interrupted after row ${progress.lastRow}: ${(reason as Error)?.message ?? String(reason)}`);
  }
}

/**
 * Sends the rows of an upload on in chunks, one at a time (so that de-duplication sees the chunk
 * before), and adds up the answers. Only one chunk is held at a time, whatever the size of the upload.
 */
export async function importInChunks(
  rows: AsyncIterable<UploadRow> | Iterable<UploadRow>,
  send: (chunk: ImportChunk) => Promise<AddContactsResponse>,
  limits: ChunkLimits,
): Promise<ImportSummary> {
  const summary: ImportSummary = { accepted: 0, rejected: [], rejectedCount: 0, duplicates: 0 };
  let chunk: ImportChunk = { index: 0, firstRow: 0, contacts: [] };
  let bytes = 0;
  let lastRow = 0;
  const reject = (rejection: Rejection) => {
    summary.rejectedCount++;
    if (summary.rejected.length < limits.listedRejections) summary.rejected.push(rejection);
  };
  const flush = async () => {
    if (chunk.contacts.length === 0) return;
    const answer = await send(chunk);
    summary.accepted += answer.accepted;
    summary.duplicates += answer.duplicates;
    answer.rejected.forEach(reject);
    lastRow = chunk.firstRow + chunk.contacts.length - 1;
    chunk = { index: chunk.index + 1, firstRow: 0, contacts: [] };
    bytes = 0;
  };
  try {
    for await (const item of rows) {
      if ('rejected' in item) {
        await flush(); // keeps rejections in row order
        reject({ row: item.row, ...item.rejected });
        lastRow = item.row;
        continue;
      }
      const size = Buffer.byteLength(JSON.stringify(item.contact));
      if (size > limits.maxRowBytes) {
        await flush();
        const phoneNumber = typeof item.contact.phoneNumber === 'string' ? item.contact.phoneNumber : '';
        reject({ row: item.row, phoneNumber, reason: `row is larger than ${limits.maxRowBytes} bytes` });
        lastRow = item.row;
        continue;
      }
      const contiguous = item.row === chunk.firstRow + chunk.contacts.length;
      if (chunk.contacts.length > 0 && (!contiguous || chunk.contacts.length >= limits.maxRows || bytes + size > limits.maxBytes)) await flush();
      if (chunk.contacts.length === 0) chunk.firstRow = item.row;
      chunk.contacts.push(item.contact);
      bytes += size;
    }
    await flush();
  } catch (e) {
    throw new ImportInterrupted(e, { ...summary, lastRow });
  }
  return summary;
}

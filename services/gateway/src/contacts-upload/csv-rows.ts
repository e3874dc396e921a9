import { Readable } from 'stream';
import { CsvError, Info, parse } from 'csv-parse';
import { contactOfCsvRecord, csvColumns, CsvHeaderError } from './csv-columns';

/** One data row of an upload: a contact to send on, or a row refused before that (with its reason). */
export type UploadRow =
  | { row: number; contact: Record<string, unknown> }
  | { row: number; rejected: { phoneNumber: string; reason: string } };

export interface CsvRowsOptions {
  /** Columns the header must have. */
  required?: readonly string[];
  /** Longest record (characters) the parser buffers; a longer one ends the upload as malformed. */
  maxRowChars: number;
}

/** The CSV cannot be read on from this line (broken quoting, an endless row): a 400 for the client. */
export class MalformedCsvError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`malformed CSV at line ${line}: ${reason}`);
  }
}

/**
 * Streams the rows of a CSV upload. `row` is the line number in the file, counting the header as
 * line 1 (so the first data row is row 2; for a quoted value spanning lines, the line it ends on).
 * A row with more fields than the header has columns is yielded as rejected; fewer fields are fine.
 * A bad header throws CsvHeaderError, broken quoting MalformedCsvError: a parser cannot tell where
 * the next row starts after a quote went wrong, so nothing after it is read.
 */
export async function* csvRows(source: Readable, options: CsvRowsOptions): AsyncGenerator<UploadRow> {
  let headerSeen = false;
  // Parse errors are caught as "skips" so that the rows before the bad line, parsed from the same
  // network chunk, are still yielded; nothing from the bad line on is.
  let malformed: MalformedCsvError | undefined;
  const parser = parse({
    bom: true,
    columns: (header: string[]) => {
      headerSeen = true;
      return csvColumns(header, options.required);
    },
    info: true,
    // Files edited on several systems mix line endings.
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: options.maxRowChars,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      if (!err || malformed) return;
      malformed = malformedOf(err);
      // Read no further: the rows already parsed are still delivered, then the parser ends.
      source.unpipe(parser);
      setImmediate(() => parser.end());
    },
  });
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string | undefined>; info: Info & { error?: CsvError } }>) {
      if (malformed && info.lines >= malformed.line) break;
      const extra = extraFields(info);
      if (extra > 0) {
        yield { row: info.lines, rejected: { phoneNumber: record.phoneNumber ?? '', reason: `row has ${extra} more field(s) than the header has columns` } };
        continue;
      }
      yield { row: info.lines, contact: contactOfCsvRecord(record) };
    }
  } catch (e) {
    throw headerProblem(e) ?? e;
  } finally {
    source.unpipe(parser);
    parser.destroy();
  }
  if (malformed) throw malformed;
  if (!headerSeen) throw new CsvHeaderError('the CSV is empty: a header row with a phoneNumber column is expected');
}

/** With relax_column_count, an inconsistent record comes with `info.error` instead of failing. */
function extraFields(info: Info & { error?: CsvError & { record?: unknown[] }; columns?: unknown[] }): number {
  if (info.error?.code !== 'CSV_RECORD_INCONSISTENT_COLUMNS') return 0;
  const fields = Array.isArray(info.error.record) ? info.error.record.length : 0;
  return Math.max(0, fields - (info.columns?.length ?? 0));
}

function malformedOf(err: CsvError): MalformedCsvError {
  const line = (err as CsvError & { lines?: number }).lines ?? 0;
  const reason = err.code === 'CSV_MAX_RECORD_SIZE' ? 'the row is too long' : err.message.replace(/\s*at line \d+/, '').replace(/\.$/, '');
  return new MalformedCsvError(line, reason);
}

/** csv-parse wraps what the columns callback throws; the header problem is what the client must see. */
function headerProblem(e: unknown): CsvHeaderError | undefined {
  if (e instanceof CsvHeaderError) return e;
  const cause = (e as { cause?: unknown })?.cause;
  if (cause instanceof CsvHeaderError) return cause;
  return undefined;
}

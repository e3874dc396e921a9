import { BadRequestException, HttpException, Inject, Injectable, PayloadTooLargeException, UnsupportedMediaTypeException } from '@nestjs/common';
import { Request, Response } from 'express';
import { AddContactsResponse } from '@contracts/commands';
import { CONFIG } from '@libs/nest/tokens';
import { GatewayConfig } from '../config';
import { validationPipe } from '../http/validation';
import { ImportChunk, importInChunks, ImportInterrupted, ImportSummary } from './chunked-import';
import { CsvHeaderError } from './csv-columns';
import { csvRows, MalformedCsvError, UploadRow } from './csv-rows';
import { AddContactsDto, NumbersDto } from './upload.dto';
import { BadUploadError, openUpload, releaseUpload, UnsupportedUploadError, UploadTooLargeError } from './upload-body';

export type SendChunk = (chunk: ImportChunk) => Promise<AddContactsResponse>;

/**
 * Uploads of contacts (or bare numbers): JSON, a `text/csv` body or a multipart `file`, streamed and
 * sent on to a service in chunks; the answer adds up the chunks' answers.
 */
@Injectable()
export class ContactUploads {
  private readonly validation = validationPipe();

  constructor(@Inject(CONFIG) private readonly config: GatewayConfig) {}

  /** JSON `{contacts: [...]}` (row = position, from 1) or CSV with a phoneNumber column. */
  contacts(req: Request, res: Response, send: SendChunk): Promise<ImportSummary> {
    return this.run(req, res, send, async (body) => {
      const dto: AddContactsDto = await this.validation.transform(body ?? {}, { type: 'body', metatype: AddContactsDto });
      return dto.contacts.map((contact, i) => ({ row: i + 1, contact }));
    });
  }

  /** JSON `{numbers: [...]}` or CSV with a phoneNumber column (other columns are ignored). */
  numbers(req: Request, res: Response, send: SendChunk): Promise<ImportSummary> {
    return this.run(req, res, send, async (body) => {
      const dto: NumbersDto = await this.validation.transform(body ?? {}, { type: 'body', metatype: NumbersDto });
      return dto.numbers.map((phoneNumber, i) => ({ row: i + 1, contact: { phoneNumber } }));
    });
  }

  private async run(req: Request, res: Response, send: SendChunk, jsonRows: (body: unknown) => Promise<UploadRow[]>): Promise<ImportSummary> {
    const limits = {
      maxRows: this.config.IMPORT_CHUNK_ROWS,
      maxBytes: this.config.IMPORT_CHUNK_BYTES,
      maxRowBytes: this.config.MAX_ROW_BYTES,
      listedRejections: this.config.LISTED_REJECTIONS,
    };
    try {
      const upload = await openUpload(req, this.config.MAX_UPLOAD_BYTES);
      const rows = upload.kind === 'json' ? await jsonRows(upload.body) : csvRows(upload.stream, { maxRowChars: this.config.MAX_ROW_BYTES });
      return await importInChunks(rows, send, limits);
    } catch (e) {
      throw httpErrorOf(e);
    } finally {
      releaseUpload(req, (name, value) => res.setHeader(name, value));
    }
  }
}

/** The client's error for a failed upload; one that failed part-way says what was imported before. */
function httpErrorOf(e: unknown): unknown {
  if (!(e instanceof ImportInterrupted)) return plainHttpError(e);
  const reason = plainHttpError(e.reason);
  if (!(reason instanceof HttpException)) return reason;
  if (e.progress.lastRow === 0) return reason;
  const status = reason.getStatus();
  const body = reason.getResponse() as { message?: unknown };
  const message = Array.isArray(body?.message) ? body.message.join('; ') : String(body?.message ?? reason.message);
  const { lastRow, ...summary } = e.progress;
  return new HttpException(
    { message: `${message}; rows up to ${lastRow} were handled before that and stay imported (see details)`, details: { lastRow, ...summary } },
    status,
  );
}

function plainHttpError(e: unknown): unknown {
  if (e instanceof HttpException) return e;
  if (e instanceof UploadTooLargeError) return new PayloadTooLargeException(e.message);
  if (e instanceof UnsupportedUploadError) return new UnsupportedMediaTypeException(e.message);
  if (e instanceof CsvHeaderError || e instanceof MalformedCsvError || e instanceof BadUploadError) return new BadRequestException(e.message);
  return e;
}

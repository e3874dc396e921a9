import { Readable, Transform, TransformCallback } from 'stream';
import busboy from 'busboy';
import { Request } from 'express';

/** The upload is larger than MAX_UPLOAD_BYTES (413). */
export class UploadTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES); split it into several uploads`);
  }
}

/** The request cannot be read as an upload (400). */
export class BadUploadError extends Error {}

/** Neither JSON nor CSV (415). */
export class UnsupportedUploadError extends Error {}

export type UploadBody = { kind: 'json'; body: unknown } | { kind: 'csv'; stream: Readable };

/** Room for multipart boundaries and part headers on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * What a client uploaded: a JSON body (already parsed, size-checked by the JSON body parser), or a
 * CSV as a stream, from a `text/csv` body or the `file` field of a multipart form, cut off with
 * UploadTooLargeError after `maxBytes`. A declared Content-Length above the limit is refused at once.
 */
export async function openUpload(req: Request, maxBytes: number): Promise<UploadBody> {
  if (req.is('application/json')) return { kind: 'json', body: req.body };
  const declared = Number(req.header('content-length') ?? NaN);
  if (req.is(['text/csv', 'application/csv'])) {
    if (declared > maxBytes) throw new UploadTooLargeError(maxBytes);
    return { kind: 'csv', stream: endsWithRequest(req, req.pipe(new ByteLimit(maxBytes))) };
  }
  if (req.is('multipart/form-data')) {
    if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw new UploadTooLargeError(maxBytes);
    return { kind: 'csv', stream: await multipartFile(req, maxBytes) };
  }
  throw new UnsupportedUploadError(
    `unsupported Content-Type "${req.header('content-type') ?? ''}": send application/json, text/csv, or multipart/form-data with a "file" field`,
  );
}

/** The `file` part of a multipart form, as soon as it starts; other parts are skipped. */
function multipartFile(req: Request, maxBytes: number): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let form: busboy.Busboy;
    try {
      form = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes + 1, fields: 50, fieldSize: 64 * 1024 } });
    } catch (e) {
      reject(new BadUploadError(`malformed multipart upload: ${(e as Error).message}`));
      return;
    }
    let file: Readable | undefined;
    form.on('file', (name, stream) => {
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      file = endsWithRequest(req, stream.pipe(new ByteLimit(maxBytes)));
      resolve(file);
    });
    form.on('error', (e) => {
      const error = new BadUploadError(`malformed multipart upload: ${(e as Error).message}`);
      if (file) file.destroy(error);
      else reject(error);
    });
    form.on('close', () => {
      if (!file) reject(new BadUploadError('a multipart upload needs the CSV file in a field named "file"'));
    });
    req.pipe(form);
  });
}

/** `pipe` does not pass a client's disconnect on: without this the reader would wait forever. */
function endsWithRequest(req: Request, stream: Readable): Readable {
  const cutOff = () => {
    if (!req.complete) stream.destroy(new BadUploadError('the upload was cut off before its end'));
  };
  req.once('error', cutOff);
  req.once('close', cutOff);
  return stream;
}

/** Passes bytes through until more than `maxBytes` went by, then fails with UploadTooLargeError. */
class ByteLimit extends Transform {
  private seen = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.maxBytes) done(new UploadTooLargeError(this.maxBytes));
    else done(null, chunk);
  }
}

/**
 * After an answer that did not read the whole upload (refused, too large, failed part-way): the rest
 * is read and dropped so the client, still sending, gets to see the answer; the connection is closed.
 */
export function releaseUpload(req: Request, setHeader: (name: string, value: string) => void): void {
  if (req.complete) return;
  setHeader('connection', 'close');
  req.unpipe();
  req.resume();
}

import { AddressInfo } from 'net';
import { request as httpRequest, Server } from 'http';
import express, { Request } from 'express';
import { csvRows } from './csv-rows';
import { BadUploadError, openUpload, UploadTooLargeError } from './upload-body';

/** A local express server whose one route reads an upload to the end and reports what happened. */
function serve(maxBytes: number) {
  const outcomes: Promise<{ rows: number; error?: unknown }>[] = [];
  const app = express();
  app.post('/upload', (req, res) => {
    const outcome = (async () => {
      let rows = 0;
      try {
        const upload = await openUpload(req as Request, maxBytes);
        if (upload.kind !== 'csv') throw new Error('expected CSV');
        for await (const _ of csvRows(upload.stream, { maxRowChars: 1_000 })) rows++;
        return { rows };
      } catch (error) {
        return { rows, error };
      }
    })();
    outcomes.push(outcome);
    void outcome.then(() => res.end());
  });
  return new Promise<{ server: Server; port: number; outcomes: typeof outcomes }>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, outcomes }));
  });
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => `+1415${2_000_000 + i}\n`).join('');

describe('openUpload', () => {
  it('streams a text/csv body and stops with UploadTooLargeError past the limit', async () => {
    const { server, port, outcomes } = await serve(4_000);
    const small = httpRequest({ port, method: 'POST', path: '/upload', headers: { 'content-type': 'text/csv' } });
    small.end(`phoneNumber\n${rows(100)}`);
    const big = httpRequest({ port, method: 'POST', path: '/upload', headers: { 'content-type': 'text/csv' } });
    big.end(`phoneNumber\n${rows(1_000)}`);
    while (outcomes.length < 2) await new Promise((r) => setTimeout(r, 20));
    // The two requests may reach the server in either order.
    const results = await Promise.all(outcomes);
    const ok = results.find((r) => !r.error);
    const tooLarge = results.find((r) => r.error)!;
    expect(ok).toEqual({ rows: 100 });
    expect(tooLarge.error).toBeInstanceOf(UploadTooLargeError);
    expect(tooLarge.rows).toBeLessThan(1_000);
    server.closeAllConnections();
    server.close();
  });

  it('ends the import when the client goes away in the middle of the upload', async () => {
    const { server, port, outcomes } = await serve(1_000_000);
    const req = httpRequest({ port, method: 'POST', path: '/upload', headers: { 'content-type': 'text/csv', 'transfer-encoding': 'chunked' } });
    req.on('error', () => undefined);
    req.write(`phoneNumber\n${rows(50)}`);
    await new Promise((r) => setTimeout(r, 200));
    req.destroy();
    while (outcomes.length < 1) await new Promise((r) => setTimeout(r, 20));
    const outcome = await Promise.race([outcomes[0], new Promise((r) => setTimeout(() => r('still waiting'), 5_000))]);
    expect(outcome).toMatchObject({ error: expect.any(BadUploadError) });
    server.closeAllConnections();
    server.close();
  });
});

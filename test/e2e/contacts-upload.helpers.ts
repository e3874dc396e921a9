import { ApiClient } from '@libs/testing/api-client';
import { Stack } from '@libs/testing/stack';

/** A client of the stack with its raw API key, for requests ApiClient does not make (CSV, multipart). */
export interface Uploader {
  id: string;
  api: ApiClient;
  key: string;
  /** Sends `body` as it is; a ReadableStream goes out chunked, without a Content-Length. */
  send(method: string, path: string, body: string | FormData | ReadableStream<Uint8Array>, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  csv(path: string, text: string): Promise<{ status: number; body: any }>;
  multipart(path: string, text: string, field?: string): Promise<{ status: number; body: any }>;
}

export async function newUploader(stack: Stack, name = 'Uploader'): Promise<Uploader> {
  const admin = new ApiClient(stack.gatewayUrl, stack.env.ADMIN_API_KEY);
  const created = await admin.post<{ id: string; apiKey: string }>('/clients', { name, maxConcurrentCalls: 10 });
  if (created.status !== 201) throw new Error(`client creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const key = created.body.apiKey;
  const api = admin.withKey(key);
  for (let i = 0; (await api.get('/campaigns')).status !== 200; i++) {
    if (i > 100) throw new Error('the new API key never became usable');
    await new Promise((r) => setTimeout(r, 50));
  }
  const send: Uploader['send'] = async (method, path, body, headers = {}) => {
    const streamed = typeof (body as ReadableStream).getReader === 'function';
    const res = await fetch(`${stack.gatewayUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...headers },
      body,
      ...(streamed ? { duplex: 'half' } : {}),
    } as RequestInit);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return {
    id: created.body.id,
    api,
    key,
    send,
    csv: (path, text) => send('POST', path, text, { 'content-type': 'text/csv' }),
    multipart: (path, text, field = 'file') => {
      const form = new FormData();
      form.append('note', 'ignored');
      form.append(field, new Blob([text], { type: 'text/csv' }), 'contacts.csv');
      return send('POST', path, form);
    },
  };
}

/** A CSV text: a header and one line per row. */
export function csvText(header: string, rows: string[]): string {
  return `${[header, ...rows].join('\n')}\n`;
}

/** A body that arrives in pieces, without Content-Length (chunked transfer encoding). */
export function streamedBody(text: string, pieceSize = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

export const usNumber = (i: number) => `+1415${String(2_000_000 + i).padStart(7, '0')}`;

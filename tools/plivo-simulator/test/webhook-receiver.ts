// A stand-in for our platform's webhook endpoints: records every request and
// checks its Plivo V3 signature with the plivo SDK.
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import * as plivo from 'plivo';

export interface ReceivedWebhook {
  method: string;
  /** Full URL as requested (what a receiver would validate against). */
  url: string;
  path: string;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  receivedAt: number;
  signatureValid: boolean;
}

export interface Reply {
  status?: number;
  body?: string;
  delayMs?: number;
}

export interface WebhookReceiver {
  baseUrl: string;
  received: ReceivedWebhook[];
  forCall(callUuid: string): ReceivedWebhook[];
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function flatten(record: Record<string, string | string[] | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
}

export async function startWebhookReceiver(authToken: string, reply: (hook: ReceivedWebhook) => Reply = () => ({})): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let baseUrl = '';
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const url = `${baseUrl}${req.url}`;
    const parsedUrl = new URL(url);
    const method = req.method ?? 'GET';
    const bodyParams = method === 'POST' ? flatten({ ...parseQuery(body) }) : {};
    const nonce = String(req.headers['x-plivo-signature-v3-nonce'] ?? '');
    const signature = String(req.headers['x-plivo-signature-v3'] ?? '');
    const hook: ReceivedWebhook = {
      method,
      url,
      path: parsedUrl.pathname,
      params: { ...Object.fromEntries(parsedUrl.searchParams), ...bodyParams },
      headers: req.headers,
      receivedAt: Date.now(),
      signatureValid: Boolean(plivo.validateV3Signature(method, url, nonce, authToken, signature, bodyParams)),
    };
    received.push(hook);
    const { status = 200, body: responseBody = '', delayMs = 0 } = reply(hook);
    setTimeout(() => {
      res.writeHead(status, { 'Content-Type': 'application/xml' });
      res.end(responseBody);
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    received,
    forCall: (callUuid) => received.filter((hook) => hook.params.CallUUID === callUuid),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Resolves when `check` returns true, polling every 20 ms; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for condition');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// Small HTTP servers the dialer's end-to-end tests put in its way: a bot warm-up endpoint and a
// fault-injecting proxy in front of the Plivo simulator. Both keep a record of what they saw.
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

// ---- bot warm-up ---------------------------------------------------------------------------------

export type WarmupAnswer = 'ok' | 'fail' | 'hang';
export interface WarmupTry {
  callId: string;
  campaignId: string;
  /** 1 for the first try of a call. */
  n: number;
  at: number;
  answer: WarmupAnswer;
}

/** A warm-up endpoint answering each try as `decide` says (by campaign and try number). */
export async function startWarmupServer(
  decide: (campaignId: string, n: number) => WarmupAnswer,
): Promise<RunningServer & { tries: WarmupTry[] }> {
  const tries: WarmupTry[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as { callId: string; campaignId: string };
    const n = tries.filter((t) => t.callId === body.callId).length + 1;
    const answer = decide(body.campaignId, n);
    tries.push({ callId: body.callId, campaignId: body.campaignId, n, at: Date.now(), answer });
    if (answer === 'hang') return; // never answers: the dialer's per-try timeout must end it
    res.writeHead(answer === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ warm: answer === 'ok' }));
  });
  const url = await listen(server);
  return { url: `${url}/warm`, tries, close: () => closeServer(server) };
}

// ---- Plivo fault proxy -------------------------------------------------------------------------

/** What the proxy does with one Call API request: forward it to the simulator, or answer it itself. */
export type ProxyAction =
  | { kind: 'forward' }
  | { kind: 'answer'; status: number; body: unknown }
  /** Forwards it (so the call is placed) and then drops the connection without an answer. */
  | { kind: 'forward-then-drop' };

export interface ProxiedRequest {
  to: string;
  n: number;
  at: number;
  action: ProxyAction['kind'];
  status?: number;
}

/**
 * Stands between the dialer and the Plivo simulator. For each Call API request `decide` picks the
 * action from the destination number and how many requests for it came before.
 */
export async function startPlivoFaultProxy(
  simulatorUrl: () => string,
  decide: (to: string, n: number) => ProxyAction,
): Promise<RunningServer & { requests: ProxiedRequest[] }> {
  const requests: ProxiedRequest[] = [];
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const isCallCreate = req.method === 'POST' && /\/Call\/?$/.test(req.url ?? '');
    const to = isCallCreate ? String((JSON.parse(body || '{}') as { to?: string }).to ?? '') : '';
    const n = isCallCreate ? requests.filter((r) => r.to === to).length + 1 : 0;
    const action = isCallCreate ? decide(to, n) : { kind: 'forward' as const };
    const record: ProxiedRequest | undefined = isCallCreate ? { to, n, at: Date.now(), action: action.kind } : undefined;
    if (record) requests.push(record);
    if (action.kind === 'answer') {
      record!.status = action.status;
      res.writeHead(action.status, { 'content-type': 'application/json' }).end(JSON.stringify(action.body));
      return;
    }
    const upstream = await fetch(`${simulatorUrl()}${req.url}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json', authorization: req.headers.authorization ?? '' },
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const text = await upstream.text();
    if (record) record.status = upstream.status;
    if (action.kind === 'forward-then-drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
  });
  const url = await listen(server);
  return { url, requests, close: () => closeServer(server) };
}

import { createServer, Server } from 'node:http';
import { AddressInfo, createServer as createNetServer, Server as NetServer, Socket } from 'node:net';
import { freePort } from '@libs/testing/free-port';
import { IdleClosingServer, startIdleClosingServer } from '@libs/testing/idle-closing-server';
import { classifyRequestFailure } from './call-request-policy';
import { PlivoCallsClient, PlivoCallRequest } from './plivo-calls.client';

const request: PlivoCallRequest = {
  from: '+14155550100',
  to: '+14155552671',
  answer_url: 'http://127.0.0.1/answer',
  answer_method: 'POST',
  ring_url: 'http://127.0.0.1/ring',
  hangup_url: 'http://127.0.0.1/hangup',
};

/** How real HTTP failures are told apart: a server that answers, hangs or drops the connection on purpose. */
describe('PlivoCallsClient against a misbehaving server', () => {
  let server: Server;
  let base: string;
  let behaviour: 'created' | '400' | '429' | 'hang' | 'drop' | 'no-uuid' = 'created';
  let received = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      received++;
      req.resume();
      req.on('end', () => {
        if (behaviour === 'hang') return;
        if (behaviour === 'drop') return req.socket.destroy();
        const [status, body, headers] = {
          created: [201, { api_id: 'a', message: 'call fired', request_uuid: 'req-1' }, {}],
          '400': [400, { api_id: 'a', error: "invalid 'to' number" }, {}],
          '429': [429, { api_id: 'a', error: 'too many requests' }, { 'retry-after': '2' }],
          'no-uuid': [201, { api_id: 'a', message: 'call fired' }, {}],
        }[behaviour] as [number, object, Record<string, string>];
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((r) => server.close(() => r()));
  });

  const failureOf = async (client: PlivoCallsClient) => {
    try {
      await client.createCall(request);
    } catch (e) {
      return classifyRequestFailure(e);
    }
    throw new Error('expected the request to fail');
  };

  it('reads the request uuid of an accepted call', async () => {
    behaviour = 'created';
    expect(await new PlivoCallsClient(base, 'MA1', 'tok').createCall(request)).toEqual({ requestUuid: 'req-1' });
  });

  it('400 with an error body is a final rejection', async () => {
    behaviour = '400';
    expect(await failureOf(new PlivoCallsClient(base, 'MA1', 'tok'))).toEqual({ kind: 'rejected', reason: 'plivo_rejected_400' });
  });

  it('429 is retried, after Retry-After', async () => {
    behaviour = '429';
    expect(await failureOf(new PlivoCallsClient(base, 'MA1', 'tok'))).toEqual({ kind: 'retry', reason: 'plivo_unavailable_429', retryAfterMs: 2_000 });
  });

  it('a refused connection is retried: nothing was sent', async () => {
    const closedPort = await freePort();
    expect(await failureOf(new PlivoCallsClient(`http://127.0.0.1:${closedPort}`, 'MA1', 'tok'))).toEqual({ kind: 'retry', reason: 'plivo_unreachable' });
  });

  it('a timeout after sending is an unknown outcome, never retried', async () => {
    behaviour = 'hang';
    const before = received;
    expect(await failureOf(new PlivoCallsClient(base, 'MA1', 'tok', 200))).toEqual({ kind: 'unknown', reason: 'plivo_outcome_unknown' });
    expect(received).toBe(before + 1);
  });

  it('a connection dropped after sending is an unknown outcome', async () => {
    behaviour = 'drop';
    expect(await failureOf(new PlivoCallsClient(base, 'MA1', 'tok'))).toEqual({ kind: 'unknown', reason: 'plivo_outcome_unknown' });
  });

  it('a TLS handshake that never completes, or fails, is retried: no byte of the request can have left', async () => {
    const sockets = new Set<Socket>();
    const silent = createNetServer((socket) => sockets.add(socket));
    const garbage = createNetServer((socket) => {
      sockets.add(socket);
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await Promise.all([silent, garbage].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
    const portOf = (s: NetServer) => (s.address() as AddressInfo).port;
    try {
      expect(await failureOf(new PlivoCallsClient(`https://127.0.0.1:${portOf(silent)}`, 'MA1', 'tok', 200))).toEqual({ kind: 'retry', reason: 'plivo_unreachable' });
      expect(await failureOf(new PlivoCallsClient(`https://127.0.0.1:${portOf(garbage)}`, 'MA1', 'tok'))).toEqual({ kind: 'retry', reason: 'plivo_unreachable' });
    } finally {
      sockets.forEach((socket) => socket.destroy());
      [silent, garbage].forEach((s) => s.close());
    }
  });

  it('a 2xx without request_uuid is an unknown outcome (the call may exist)', async () => {
    behaviour = 'no-uuid';
    expect(await failureOf(new PlivoCallsClient(base, 'MA1', 'tok'))).toEqual({ kind: 'unknown', reason: 'plivo_outcome_unknown' });
  });
});

/**
 * A request written just as the server closes an idle kept-alive connection meets a reset, and a reset
 * after sending is an unknown outcome: the attempt would hold its slots until the call timeout.
 */
describe('PlivoCallsClient and a server that closes idle connections', () => {
  const ANNOUNCED_SECONDS = 2;
  let server: IdleClosingServer;

  beforeAll(async () => {
    server = await startIdleClosingServer(ANNOUNCED_SECONDS, 201, JSON.stringify({ api_id: 'a', message: 'call fired', request_uuid: 'req-1' }));
  });
  afterAll(() => server.close());

  it('reuses a connection within the announced idle time, and opens a new one after it', async () => {
    const client = new PlivoCallsClient(server.baseUrl, 'MA1', 'tok');
    await client.createCall(request);
    await client.createCall(request);
    expect(server.connections.size).toBe(1);

    await new Promise((r) => setTimeout(r, ANNOUNCED_SECONDS * 1000 + 100));
    expect(await client.createCall(request)).toEqual({ requestUuid: 'req-1' });
    expect(server.connections.size).toBe(2);
  });
});

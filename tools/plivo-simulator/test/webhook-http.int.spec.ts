// The webhook sender's kept-alive connections against a receiver that closes idle ones, as
// call-tracking (or a balancer in front of it) does after the time it announces in `Keep-Alive`.
import { IdleClosingServer, startIdleClosingServer } from '@libs/testing/idle-closing-server';
import { sendWebhook } from '../src/webhook-http';

const ANNOUNCED_SECONDS = 2;

describe('webhook sender and a receiver that closes idle connections', () => {
  let receiver: IdleClosingServer;
  beforeAll(async () => {
    receiver = await startIdleClosingServer(ANNOUNCED_SECONDS, 200, 'ok');
  });
  afterAll(() => receiver.close());

  const send = () =>
    sendWebhook(`${receiver.baseUrl}/hangup`, { method: 'POST', headers: {}, body: 'a=1', timeoutMs: 5_000, signal: new AbortController().signal, bodyLimit: 100 });

  it('reuses a connection within the announced idle time, and opens a new one after it', async () => {
    expect(await send()).toEqual({ status: 200, body: 'ok' });
    expect(await send()).toEqual({ status: 200, body: 'ok' });
    expect(receiver.connections.size).toBe(1);

    await new Promise((r) => setTimeout(r, ANNOUNCED_SECONDS * 1000 + 100));
    expect(await send()).toEqual({ status: 200, body: 'ok' });
    expect(receiver.connections.size).toBe(2);
  });
});

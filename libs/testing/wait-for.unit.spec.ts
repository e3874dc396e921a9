import { createServer } from 'node:net';
import { freePort } from './free-port';
import { WaitAborted, waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves to the first truthy value, treating throws as "not yet"', async () => {
    let calls = 0;
    const value = await waitFor(
      () => {
        calls++;
        if (calls === 1) throw new Error('not up');
        return calls === 3 && 'ready';
      },
      { intervalMs: 1 },
    );

    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    const waiting = waitFor(
      () => {
        throw new Error('connection refused');
      },
      { timeoutMs: 30, intervalMs: 5, description: 'the broker' },
    );

    await expect(waiting).rejects.toThrow(/waiting for the broker: connection refused/);
  });

  it('stops at once on WaitAborted', async () => {
    const started = Date.now();
    const waiting = waitFor(
      () => {
        throw new WaitAborted('process died');
      },
      { timeoutMs: 5_000 },
    );

    await expect(waiting).rejects.toThrow('process died');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('freePort', () => {
  it('returns the preferred port when it is free, another one when taken', async () => {
    const port = await freePort();
    expect(await freePort(port)).toBe(port);

    const server = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      expect(await freePort(port)).not.toBe(port);
    } finally {
      server.close();
    }
  });
});

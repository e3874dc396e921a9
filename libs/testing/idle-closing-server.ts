import { createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

export interface IdleClosingServer {
  baseUrl: string;
  /** Every connection opened to it so far. */
  connections: Set<Socket>;
  close(): Promise<void>;
}

/**
 * An HTTP server that announces `Keep-Alive: timeout=<announcedSeconds>` and resets a connection used
 * after that much idle time. A real server closes such a connection itself, and a request written just
 * as it does meets a reset; this one plays that crossing deterministically (it never closes on its own).
 * Every request is answered with `status` and `body`.
 */
export async function startIdleClosingServer(announcedSeconds: number, status: number, body: string): Promise<IdleClosingServer> {
  const connections = new Set<Socket>();
  const idleSince = new WeakMap<Socket, number>();
  const server = createServer((req, res) => {
    const since = idleSince.get(req.socket);
    if (since !== undefined && Date.now() - since > announcedSeconds * 1000) return req.socket.resetAndDestroy();
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { connection: 'keep-alive', 'keep-alive': `timeout=${announcedSeconds}` });
      res.end(body, () => idleSince.set(req.socket, Date.now()));
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket: Socket) => connections.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

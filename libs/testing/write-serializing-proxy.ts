import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { WireProfile } from './wire-profile';
import { commandNameOf, databaseOf, hasMoreToCome, MessageFramer, requestIdOf, responseToOf } from './mongo-wire';

// FerretDB 1.x runs an update as "query, apply the operators in Go, write the result back" in
// separate steps, so concurrent updates of one document lose all but one of them (1,600
// concurrent $inc on 20 documents left a total of 352) and conditional updates both pass
// their filter. MongoDB applies every single-document write atomically, and the services
// rely on it. Letting one write command per database run at a time restores that; reads, and
// writes to other databases (other SQLite files), stay concurrent.
const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'create',
  'createIndexes',
  'drop',
  'dropIndexes',
  'dropDatabase',
  'renameCollection',
]);

export interface WriteSerializingProxy {
  port: number;
  close(): Promise<void>;
}

/** A TCP proxy to a MongoDB-wire server on 127.0.0.1:`upstreamPort` that serialises writes. */
export async function startWriteSerializingProxy(upstreamPort: number, port = 0): Promise<WriteSerializingProxy> {
  const locks = new Locks();
  const sockets = new Set<Socket>();
  // MONGO_WIRE_PROFILE=<file>: the server time of each command shape, written on close (for benchmarks).
  const profile = process.env.MONGO_WIRE_PROFILE ? new WireProfile(process.env.MONGO_WIRE_PROFILE) : undefined;
  const writeProfile = profile && setInterval(() => profile.write(), 5_000).unref();
  const server: Server = createServer((client) => relay(client, connect(upstreamPort, '127.0.0.1'), locks, sockets, profile?.connection()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(writeProfile);
        profile?.write();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Pipes one client connection to its own upstream connection, holding the lock for each write. */
function relay(client: Socket, upstream: Socket, locks: Locks, sockets: Set<Socket>, profile?: ReturnType<WireProfile['connection']>): void {
  let closed = false;
  let held: { requestId: number; release: () => void } | undefined;
  const releaseHeld = (): void => {
    held?.release();
    held = undefined;
  };
  for (const socket of [client, upstream]) {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      sockets.delete(socket);
      closed = true;
      client.destroy();
      upstream.destroy();
      releaseHeld();
    });
  }

  // Requests go upstream in order; a write first waits for its turn.
  let forwarding = Promise.resolve();
  const fromClient = new MessageFramer();
  client.on('data', (chunk) => {
    for (const message of frame(fromClient, chunk, client)) {
      forwarding = forwarding.then(async () => {
        const name = commandNameOf(message);
        if (name !== undefined && WRITE_COMMANDS.has(name)) {
          const release = await locks.of(databaseOf(message) ?? '').acquire();
          if (closed || hasMoreToCome(message)) release();
          else held = { requestId: requestIdOf(message), release };
        }
        profile?.request(requestIdOf(message), message);
        if (!closed) upstream.write(message);
      });
    }
  });

  const fromUpstream = new MessageFramer();
  upstream.on('data', (chunk) => {
    for (const message of frame(fromUpstream, chunk, upstream)) {
      client.write(message);
      profile?.reply(responseToOf(message));
      if (held && responseToOf(message) === held.requestId && !hasMoreToCome(message)) releaseHeld();
    }
  });
}

function frame(framer: MessageFramer, chunk: Buffer, socket: Socket): Buffer[] {
  try {
    return framer.push(chunk);
  } catch {
    socket.destroy();
    return [];
  }
}

class Mutex {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => turn);
    return acquired;
  }
}

/** One mutex per database. */
class Locks {
  private readonly byName = new Map<string, Mutex>();
  of(name: string): Mutex {
    let lock = this.byName.get(name);
    if (!lock) this.byName.set(name, (lock = new Mutex()));
    return lock;
  }
}

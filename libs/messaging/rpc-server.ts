import { NatsConnection, Subscription } from 'nats';
import { Logger } from 'pino';
import { DomainError } from '../decider/decider';
import { ConcurrencyError } from '../event-store/jetstream-event-store';
import { decodeJson } from '../event-store/codec';
import { RpcError, rpcError, RpcResult } from './rpc-result';

export type RpcHandler<Req = any, Res = unknown> = (request: Req) => Promise<Res>;

const encoder = new TextEncoder();

/** Maps a thrown error to the reply the caller sees; unexpected errors become 500 and are logged. */
export function toRpcError(e: unknown, log: Logger): RpcError {
  if (e instanceof DomainError) {
    const status = { invalid: 400, conflict: 409, 'not-found': 404 }[e.kind];
    return rpcError(status, e.message, e.details);
  }
  if (e instanceof ConcurrencyError) return rpcError(409, 'the resource was changed concurrently; try again');
  log.error({ err: e }, 'request handler failed');
  return rpcError(500, 'internal error');
}

/**
 * Serves commands and queries on NATS request/reply subjects, in a queue group so that every
 * instance of a service shares the load. Draining the connection on shutdown lets in-flight
 * requests finish.
 */
export class RpcServer {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly queue: string,
    private readonly log: Logger,
  ) {}

  handle<Req, Res>(subject: string, handler: RpcHandler<Req, Res>): void {
    const sub = this.nc.subscribe(subject, {
      queue: this.queue,
      callback: (err, msg) => {
        if (err) return this.log.error({ err, subject }, 'subscription error');
        void (async () => {
          let reply: RpcResult<Res>;
          try {
            reply = { ok: true, data: await handler(decodeJson<Req>(msg.data)) };
          } catch (e) {
            reply = { ok: false, error: toRpcError(e, this.log) };
          }
          if (msg.reply) msg.respond(encoder.encode(JSON.stringify(reply)));
        })();
      },
    });
    this.subscriptions.push(sub);
  }

  async close(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.drain()));
  }
}

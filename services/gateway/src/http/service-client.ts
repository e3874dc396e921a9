import { HttpException, Inject, Injectable } from '@nestjs/common';
import { ServiceName } from '@contracts/subjects';
import { rpcRequest } from '@libs/messaging/rpc-client';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS } from '@libs/nest/tokens';
import { GatewayConfig } from '../config';

/** Sends commands and queries to the services; a refusal comes back as the HTTP error it names. */
@Injectable()
export class ServiceClient {
  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `timeoutMs` (default RPC_TIMEOUT_MS) for the few commands that take long, e.g. a campaign that copies a large list. */
  command<T>(service: ServiceName, name: string, payload: unknown, timeoutMs = this.config.RPC_TIMEOUT_MS): Promise<T> {
    return this.call<T>(this.nats.subjects.command(service, name), payload, timeoutMs);
  }

  query<T>(service: ServiceName, name: string, payload: unknown): Promise<T> {
    return this.call<T>(this.nats.subjects.query(service, name), payload, this.config.RPC_TIMEOUT_MS);
  }

  async ping(service: ServiceName, timeoutMs: number): Promise<boolean> {
    const reply = await rpcRequest(this.nats.nc, this.nats.subjects.health(service), {}, timeoutMs);
    return reply.ok;
  }

  private async call<T>(subject: string, payload: unknown, timeoutMs: number): Promise<T> {
    const reply = await rpcRequest<T>(this.nats.nc, subject, payload, timeoutMs);
    if (!reply.ok) throw new HttpException(reply.error, reply.error.statusCode);
    return reply.data;
  }
}

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

  command<T>(service: ServiceName, name: string, payload: unknown): Promise<T> {
    return this.call<T>(this.nats.subjects.command(service, name), payload);
  }

  query<T>(service: ServiceName, name: string, payload: unknown): Promise<T> {
    return this.call<T>(this.nats.subjects.query(service, name), payload);
  }

  async ping(service: ServiceName, timeoutMs: number): Promise<boolean> {
    const reply = await rpcRequest(this.nats.nc, this.nats.subjects.health(service), {}, timeoutMs);
    return reply.ok;
  }

  private async call<T>(subject: string, payload: unknown): Promise<T> {
    const reply = await rpcRequest<T>(this.nats.nc, subject, payload, this.config.RPC_TIMEOUT_MS);
    if (!reply.ok) throw new HttpException(reply.error, reply.error.statusCode);
    return reply.data;
  }
}

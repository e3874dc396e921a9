import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ServiceName } from '@contracts/subjects';
import { RpcServer } from '../messaging/rpc-server';
import { NatsContext } from '../nats/nats-context';
import { NATS, RPC } from './tokens';

/** Answers `health.<service>` once the service has booted (its connections and consumers are up). */
export function healthResponder(service: ServiceName) {
  @Injectable()
  class HealthResponder implements OnApplicationBootstrap {
    constructor(
      @Inject(RPC) readonly rpc: RpcServer,
      @Inject(NATS) readonly nats: NatsContext,
    ) {}
    onApplicationBootstrap() {
      this.rpc.handle(this.nats.subjects.health(service), async () => ({ service, pid: process.pid, status: 'ok' }));
    }
  }
  return HealthResponder;
}

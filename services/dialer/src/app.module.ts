import { DynamicModule, Module } from '@nestjs/common';
import { healthResponder } from '@libs/nest/health';
import { InfraModule } from '@libs/nest/infra.module';
import { NATS } from '@libs/nest/tokens';
import { NatsContext } from '@libs/nats/nats-context';
import { DialerConfig } from './config';
import { DialerSupervisor } from './dialing/dialer-supervisor';
import { ActiveCallsQuery } from './slots/active-calls.query';
import { KvSlotLedger } from './slots/kv-slot-ledger';
import { SlotReleaseProcessor } from './slots/slot-release.processor';

@Module({})
export class DialerAppModule {
  static forConfig(config: DialerConfig): DynamicModule {
    return {
      module: DialerAppModule,
      imports: [
        InfraModule.forService('dialer', config),
      ],
      providers: [
        { provide: KvSlotLedger, inject: [NATS], useFactory: (nats: NatsContext) => new KvSlotLedger(nats.buckets.slots) },
        SlotReleaseProcessor,
        DialerSupervisor,
        ActiveCallsQuery,
        healthResponder('dialer'),
      ],
    };
  }
}

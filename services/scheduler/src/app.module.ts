import { DynamicModule, Module } from '@nestjs/common';
import { healthResponder } from '@libs/nest/health';
import { InfraModule } from '@libs/nest/infra.module';
import { MONGO } from '@libs/nest/tokens';
import { MongoHandle } from '@libs/mongo/mongo';
import { SchedulerConfig } from './config';
import { DueRetries } from './retries/due-retries';
import { RetryReleaser } from './retries/retry-releaser';
import { ScheduledCampaigns } from './starts/scheduled-campaigns';
import { ScheduledStarts } from './starts/scheduled-starts';
import { CallTimeouts } from './timeouts/call-timeouts';
import { OpenCalls } from './timeouts/open-calls';

@Module({})
export class SchedulerAppModule {
  static forConfig(config: SchedulerConfig): DynamicModule {
    return {
      module: SchedulerAppModule,
      imports: [
        InfraModule.forService('scheduler', config),
      ],
      providers: [
        { provide: OpenCalls, inject: [MONGO], useFactory: (m: MongoHandle) => new OpenCalls(m.db) },
        CallTimeouts,
        { provide: ScheduledCampaigns, inject: [MONGO], useFactory: (m: MongoHandle) => new ScheduledCampaigns(m.db) },
        ScheduledStarts,
        { provide: DueRetries, inject: [MONGO], useFactory: (m: MongoHandle) => new DueRetries(m.db) },
        RetryReleaser,
        healthResponder('scheduler'),
      ],
    };
  }
}

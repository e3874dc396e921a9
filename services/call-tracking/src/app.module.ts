import { DynamicModule, Module } from '@nestjs/common';
import { healthResponder } from '@libs/nest/health';
import { InfraModule } from '@libs/nest/infra.module';
import { MONGO, NATS } from '@libs/nest/tokens';
import { MongoHandle } from '@libs/mongo/mongo';
import { NatsContext } from '@libs/nats/nats-context';
import { CallDirectory } from './calls/call-directory';
import { MetricsController } from './metrics/metrics.http';
import { TrackingMetrics } from './metrics/tracking-metrics';
import { TrackingConfig } from './config';
import { CallsProjection } from './read-models/calls.projection';
import { CallsReadModel } from './read-models/calls.read-model';
import { TrackingEventsPublisher } from './webhooks/call-events.publisher';
import { PlivoWebhooksController } from './webhooks/plivo-webhooks.controller';

@Module({})
export class CallTrackingAppModule {
  static forConfig(config: TrackingConfig): DynamicModule {
    return {
      module: CallTrackingAppModule,
      imports: [
        InfraModule.forService('call-tracking', config),
      ],
      controllers: [PlivoWebhooksController, MetricsController],
      providers: [
        { provide: CallDirectory, inject: [NATS], useFactory: (nats: NatsContext) => new CallDirectory(nats) },
        { provide: CallsReadModel, inject: [MONGO], useFactory: (m: MongoHandle) => new CallsReadModel(m.db) },
        TrackingEventsPublisher,
        TrackingMetrics,
        CallsProjection,
        healthResponder('call-tracking'),
      ],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { InfraModule } from '@libs/nest/infra.module';
import { ApiKeyGuard } from './auth/api-key.guard';
import { CallsHttpController } from './calls/calls.http.controller';
import { CampaignsHttpController } from './campaigns/campaigns.http.controller';
import { ClientsHttpController } from './clients/clients.http.controller';
import { GatewayConfig } from './config';
import { ContactUploads } from './contacts-upload/contact-uploads';
import { HealthHttpController } from './health/health.http.controller';
import { ErrorFilter } from './http/error.filter';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { DoNotCallHttpController } from './dnc/dnc.http.controller';
import { ListsHttpController } from './lists/lists.http.controller';
import { MetricsHttpController } from './metrics/metrics.http.controller';
import { PlatformMetrics } from './metrics/platform-metrics';
import { ServiceClient } from './http/service-client';
import { rateLimitOptions } from './rate-limit/rate-limit';

@Module({})
export class GatewayAppModule {
  static forConfig(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        InfraModule.forService('gateway', config),
        ThrottlerModule.forRoot(rateLimitOptions(config.RATE_LIMIT_PER_MINUTE)),
      ],
      controllers: [ClientsHttpController, CampaignsHttpController, ListsHttpController, DoNotCallHttpController, CallsHttpController, HealthHttpController, MetricsHttpController],
      providers: [
        ServiceClient,
        ContactUploads,
        PlatformMetrics,
        // Guards run in this order: the rate limit first.
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}

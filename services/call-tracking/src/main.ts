import 'reflect-metadata';
import { urlencoded } from 'express';
import { runService } from '@libs/nest/run-service';
import { CallTrackingAppModule } from './app.module';
import { loadTrackingConfig } from './config';

void runService('call-tracking', loadTrackingConfig, (config) => CallTrackingAppModule.forConfig(config), {
  port: (config) => config.TRACKING_PORT,
  // Plivo posts application/x-www-form-urlencoded; keep values as strings for the signature check.
  configure: (app) => app.use(urlencoded({ extended: false, limit: '64kb' })),
});

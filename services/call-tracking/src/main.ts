import 'reflect-metadata';
import { runService } from '@libs/nest/run-service';
import { CallTrackingAppModule } from './app.module';
import { loadTrackingConfig } from './config';
import { configureTrackingHttp, createTrackingApp } from './http';

void runService('call-tracking', loadTrackingConfig, (config) => CallTrackingAppModule.forConfig(config), {
  port: (config) => config.TRACKING_PORT,
  create: createTrackingApp,
  configure: (app) => configureTrackingHttp(app),
});

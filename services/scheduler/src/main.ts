import 'reflect-metadata';
import { runService } from '@libs/nest/run-service';
import { SchedulerAppModule } from './app.module';
import { loadSchedulerConfig } from './config';

void runService('scheduler', loadSchedulerConfig, (config) => SchedulerAppModule.forConfig(config));

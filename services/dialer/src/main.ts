import 'reflect-metadata';
import { runService } from '@libs/nest/run-service';
import { DialerAppModule } from './app.module';
import { loadDialerConfig } from './config';

void runService('dialer', loadDialerConfig, (config) => DialerAppModule.forConfig(config));

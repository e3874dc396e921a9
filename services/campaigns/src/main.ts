import 'reflect-metadata';
import { runService } from '@libs/nest/run-service';
import { CampaignsAppModule } from './app.module';
import { loadCampaignsConfig } from './config';

void runService('campaigns', loadCampaignsConfig, (config) => CampaignsAppModule.forConfig(config));

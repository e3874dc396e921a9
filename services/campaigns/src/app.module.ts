import { DynamicModule, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { Db } from 'mongodb';
import { InfraModule } from '@libs/nest/infra.module';
import { healthResponder } from '@libs/nest/health';
import { MONGO, NATS } from '@libs/nest/tokens';
import { MongoHandle } from '@libs/mongo/mongo';
import { NatsContext } from '@libs/nats/nats-context';
import { CampaignsConfig } from './config';
import { CampaignCommands } from './campaign/campaign-commands.service';
import { CampaignsRpcController } from './campaign/campaigns.rpc-controller';
import { ContactIndex } from './imports/contact-index';
import { ClientStreamProcessor } from './clients/client-stream.processor';
import { ClientsRpcController } from './clients/clients.rpc-controller';
import { CampaignStreamProcessor } from './dispatch/campaign-stream.processor';
import { ContactFeeder } from './dispatch/contact-feeder';
import { DialQueue } from './dispatch/dial-queue';
import { RuntimeWriter } from './dispatch/runtime-writer';
import { CallOutcomeProcessor } from './outcomes/call-outcome.processor';
import { CampaignCompletion } from './outcomes/campaign-completion';
import { CampaignsReadModel } from './read-models/campaigns.read-model';
import { ClientsReadModel } from './read-models/clients.read-model';
import { ContactsReadModel } from './read-models/contacts.read-model';
import { ListCopier } from './lists/list-copier';
import { DoNotCallLookup } from './dnc/do-not-call.lookup';
import { DoNotCallProcessor } from './dnc/dnc.processor';
import { DoNotCallRpcController } from './dnc/dnc.rpc-controller';
import { ListsProcessor } from './lists/lists.processor';
import { ListsReadModel } from './lists/lists.read-model';
import { ListsRpcController } from './lists/lists.rpc-controller';

const readModel = <T>(ReadModel: new (db: Db) => T) => ({
  provide: ReadModel,
  inject: [MONGO],
  useFactory: (mongo: MongoHandle) => new ReadModel(mongo.db),
});

@Injectable()
class Indexes implements OnModuleInit {
  constructor(
    private readonly campaigns: CampaignsReadModel,
    private readonly contacts: ContactsReadModel,
    private readonly clients: ClientsReadModel,
  ) {}
  async onModuleInit() {
    await Promise.all([this.campaigns.ensureIndexes(), this.contacts.ensureIndexes(), this.clients.ensureIndexes()]);
  }
}

@Module({})
export class CampaignsAppModule {
  static forConfig(config: CampaignsConfig): DynamicModule {
    return {
      module: CampaignsAppModule,
      imports: [
        InfraModule.forService('campaigns', config),
      ],
      providers: [
        readModel(CampaignsReadModel),
        readModel(ContactsReadModel),
        readModel(ListsReadModel),
        readModel(ClientsReadModel),
        Indexes,
        {
          provide: DialQueue,
          inject: [NATS],
          useFactory: (nats: NatsContext) => new DialQueue(nats.js, nats.jsm, nats.subjects),
        },
        {
          provide: RuntimeWriter,
          inject: [NATS],
          useFactory: (nats: NatsContext) => new RuntimeWriter(nats.buckets.campaignRuntime, nats.buckets.clientRuntime),
        },
        CampaignCommands,
        ContactFeeder,
        CampaignCompletion,
        CampaignStreamProcessor,
        ClientStreamProcessor,
        CallOutcomeProcessor,
        { provide: ContactIndex, inject: [NATS], useFactory: (nats: NatsContext) => new ContactIndex(nats.buckets.contactIndex) },
        CampaignsRpcController,
        ClientsRpcController,
        ListCopier,
        ListsProcessor,
        ListsRpcController,
        DoNotCallLookup,
        DoNotCallProcessor,
        DoNotCallRpcController,
        healthResponder('campaigns'),
      ],
    };
  }
}

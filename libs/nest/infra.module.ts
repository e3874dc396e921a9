import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from 'pino';
import { ServiceName } from '@contracts/subjects';
import { createLogger } from '../logging/logger';
import { RpcServer } from '../messaging/rpc-server';
import { MongoHandle, openMongo } from '../mongo/mongo';
import { NatsContext, openNats } from '../nats/nats-context';
import { CONFIG, LOGGER, MONGO, NATS, RPC } from './tokens';

export interface InfraSettings {
  service: ServiceName | 'gateway';
  nats: { url: string; replicas: number; namespace: string };
  mongo?: { url: string; db: string };
  logLevel: string;
  config: unknown;
}

/** Closes connections last, after every consumer and handler has stopped (Nest runs this hook late). */
@Injectable()
class InfraShutdown implements OnApplicationShutdown {
  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}
  async onApplicationShutdown(signal?: string) {
    this.log.info({ signal }, 'shutting down');
    await this.rpc.close();
    await this.nats.nc.drain();
  }
}

@Injectable()
class MongoShutdown implements OnApplicationShutdown {
  constructor(@Inject(MONGO) private readonly mongo: MongoHandle) {}
  async onApplicationShutdown() {
    await this.mongo.client.close();
  }
}

/**
 * Provides the config, pino logger, NATS context (streams and buckets ensured), MongoDB handle and
 * RPC server to every module of a service.
 */
/** The shared settings every service config carries (see libs/config/env.ts). */
interface ServiceConfig {
  NATS_URL: string;
  NATS_REPLICAS: number;
  NATS_NAMESPACE: string;
  LOG_LEVEL: string;
  MONGO_URL?: string;
  MONGO_DB?: string;
}

@Global()
@Module({})
export class InfraModule {
  /** Infrastructure of one service from its validated config; MongoDB only when the config has it. */
  static forService(service: InfraSettings['service'], config: ServiceConfig): DynamicModule {
    return InfraModule.forRoot({
      service,
      nats: { url: config.NATS_URL, replicas: config.NATS_REPLICAS, namespace: config.NATS_NAMESPACE },
      ...(config.MONGO_URL && config.MONGO_DB ? { mongo: { url: config.MONGO_URL, db: config.MONGO_DB } } : {}),
      logLevel: config.LOG_LEVEL,
      config,
    });
  }

  static forRoot(settings: InfraSettings): DynamicModule {
    const logger = createLogger(settings.service, settings.logLevel);
    const providers: DynamicModule['providers'] = [
      { provide: CONFIG, useValue: settings.config },
      { provide: LOGGER, useValue: logger },
      {
        provide: NATS,
        useFactory: () => openNats({ ...settings.nats, name: `${settings.service}-${process.pid}` }),
      },
      {
        provide: RPC,
        inject: [NATS],
        useFactory: (nats: NatsContext) => new RpcServer(nats.nc, settings.service, logger),
      },
      InfraShutdown,
    ];
    const exports: DynamicModule['exports'] = [CONFIG, LOGGER, NATS, RPC];
    if (settings.mongo) {
      const mongo = settings.mongo;
      // Each service has a database of its own (`<MONGO_DB>_<service>`): no service can read another's
      // collections, and on FerretDB's SQLite backend (one file per database) their writes never contend.
      const db = `${mongo.db}_${settings.service.replace('-', '_')}`;
      providers.push({ provide: MONGO, useFactory: () => openMongo(mongo.url, db) }, MongoShutdown);
      exports.push(MONGO);
    }
    return { module: InfraModule, providers, exports };
  }
}

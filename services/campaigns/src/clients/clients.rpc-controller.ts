import { createHash, randomBytes, randomUUID } from 'crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ClientEvent } from '@contracts/clients/events';
import { AuthenticateRequest, CampaignsRpc, ClientView, RegisterClientRequest } from '@contracts/commands';
import { DomainError } from '@libs/decider/decider';
import { handleCommand, loadAggregate } from '@libs/event-store/command-handler';
import { commandMetadata } from '@libs/event-store/make-event';
import { JetStreamEventStore } from '@libs/event-store/jetstream-event-store';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS, RPC } from '@libs/nest/tokens';
import { CampaignsConfig } from '../config';
import { ClientsReadModel } from '../read-models/clients.read-model';
import { clientDecider, ClientCommand, ClientState } from './client';

export const hashApiKey = (apiKey: string) => createHash('sha256').update(apiKey).digest('hex');

/** Client (tenant) registration, limits and API-key authentication. */
@Injectable()
export class ClientsRpcController implements OnApplicationBootstrap {
  private readonly store: JetStreamEventStore;

  constructor(
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: CampaignsConfig,
    private readonly clients: ClientsReadModel,
  ) {
    this.store = new JetStreamEventStore(nats.js, nats.jsm, nats.subjects.streams.clients);
  }

  onApplicationBootstrap() {
    const on = (name: string, handler: (req: any) => Promise<unknown>) =>
      this.rpc.handle(this.nats.subjects.command('campaigns', name), handler);
    on(CampaignsRpc.registerClient, (r) => this.register(r));
    on(CampaignsRpc.getClient, (r) => this.get(r.clientId));
    on(CampaignsRpc.changeClientLimits, (r) => this.changeLimits(r));
    on(CampaignsRpc.authenticate, (r) => this.authenticate(r));
  }

  private execute(command: ClientCommand) {
    return handleCommand(this.store, clientDecider, this.nats.subjects.clientEvents(command.data.clientId), command);
  }

  private async register(req: RegisterClientRequest) {
    const clientId = randomUUID();
    const apiKey = `ck_${randomBytes(24).toString('base64url')}`;
    const { state } = await this.execute({
      type: 'RegisterClient',
      data: {
        clientId,
        name: req.name,
        maxConcurrentCalls: req.maxConcurrentCalls ?? this.config.DEFAULT_CLIENT_MAX_CALLS,
        apiKeyHash: hashApiKey(apiKey),
      },
      metadata: commandMetadata(req, 'admin'),
    });
    return { ...viewOf(state), apiKey };
  }

  private async get(clientId: string): Promise<ClientView> {
    const { state } = await loadAggregate<ClientEvent, ClientState>(this.store, clientDecider, this.nats.subjects.clientEvents(clientId));
    if (state.status === 'none') throw new DomainError('not-found', `client ${clientId} not found`);
    return viewOf(state);
  }

  private async changeLimits(req: RegisterClientRequest & { clientId: string; maxConcurrentCalls: number }) {
    const { state } = await this.execute({
      type: 'ChangeClientLimits',
      data: { clientId: req.clientId, maxConcurrentCalls: req.maxConcurrentCalls },
      metadata: commandMetadata(req, 'admin'),
    });
    return viewOf(state);
  }

  /** Answers with the client id for a valid key hash; the read model is eventually consistent, so the event store is not consulted. */
  private async authenticate(req: AuthenticateRequest) {
    const doc = await this.clients.byKeyHash(req.apiKeyHash);
    if (!doc) throw new DomainError('not-found', 'unknown API key');
    return { clientId: doc._id, name: doc.name };
  }
}

function viewOf(state: ClientState): ClientView {
  if (state.status === 'none') throw new DomainError('not-found', 'client not found');
  return { id: state.clientId, name: state.name, maxConcurrentCalls: state.maxConcurrentCalls, createdAt: state.createdAt };
}

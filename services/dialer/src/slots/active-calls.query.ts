import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ActiveCallsRequest, ActiveCallsResponse, DialerRpc, ScopeUsage } from '@contracts/commands';
import { RpcServer } from '@libs/messaging/rpc-server';
import { NatsContext } from '@libs/nats/nats-context';
import { CONFIG, NATS, RPC } from '@libs/nest/tokens';
import { DialerConfig } from '../config';
import { DialerSupervisor } from '../dialing/dialer-supervisor';
import { KvSlotLedger } from './kv-slot-ledger';
import { scopeKeys } from './slot-ledger';

const usage = (active: number, limit: number): ScopeUsage => ({ active, limit, utilisation: Math.round((active / limit) * 1000) / 10 });

/** `GET /calls/active`: live calls per scope, straight from the slot ledger the dialers enforce. */
@Injectable()
export class ActiveCallsQuery implements OnApplicationBootstrap {
  constructor(
    @Inject(RPC) private readonly rpc: RpcServer,
    @Inject(NATS) private readonly nats: NatsContext,
    @Inject(CONFIG) private readonly config: DialerConfig,
    private readonly ledger: KvSlotLedger,
    private readonly supervisor: DialerSupervisor,
  ) {}

  onApplicationBootstrap() {
    this.rpc.handle(this.nats.subjects.query('dialer', DialerRpc.activeCalls), (req: ActiveCallsRequest) => this.activeCalls(req));
  }

  private async activeCalls(req: ActiveCallsRequest): Promise<ActiveCallsResponse> {
    const campaignIds = req.campaignId ? [req.campaignId] : await this.campaignsWithSlots();
    const campaigns: ActiveCallsResponse['campaigns'] = [];
    for (const campaignId of campaignIds) {
      const runtime = this.supervisor.campaignRuntime(campaignId);
      if (!runtime || runtime.clientId !== req.clientId) continue;
      const calls = await this.ledger.holders(scopeKeys.campaign(campaignId));
      campaigns.push({
        campaignId,
        status: runtime.status,
        ...usage(calls.length, runtime.settings.concurrentCallsLimit),
        ...(req.includeCalls ? { calls } : {}),
      });
    }
    return {
      global: usage(await this.ledger.usage(scopeKeys.global), this.config.GLOBAL_MAX_CALLS),
      client: { clientId: req.clientId, ...usage(await this.ledger.usage(scopeKeys.client(req.clientId)), this.supervisor.clientLimit(req.clientId)) },
      campaigns,
    };
  }

  private async campaignsWithSlots(): Promise<string[]> {
    const ids: string[] = [];
    for await (const key of await this.nats.buckets.slots.keys('campaign.*')) ids.push(key.slice('campaign.'.length));
    return ids;
  }
}

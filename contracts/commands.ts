import { CampaignSettings } from './campaigns/settings';

/**
 * Commands and queries sent over NATS request/reply (subject `cmd.<service>.<name>` or
 * `query.<service>.<name>`); every reply is an RpcResult: `{ok: true, data}` or `{ok: false, error}`.
 */
export interface RequestContext {
  /** The authenticated client; every lookup is scoped to it. */
  clientId: string;
  correlationId: string;
  /** Unique per request; derived from the Idempotency-Key when the client sent one. */
  commandId: string;
}

export const CampaignsRpc = {
  createCampaign: 'createCampaign',
  startCampaign: 'startCampaign',
  scheduleCampaign: 'scheduleCampaign',
  updateCampaign: 'updateCampaign',
  deleteCampaign: 'deleteCampaign',
  pauseCampaign: 'pauseCampaign',
  resumeCampaign: 'resumeCampaign',
  cancelCampaign: 'cancelCampaign',
  retryCampaign: 'retryCampaign',
  releaseRetries: 'releaseRetries',
  addContacts: 'addContacts',
  getCampaign: 'getCampaign',
  listCampaigns: 'listCampaigns',
  listContacts: 'listContacts',
  progress: 'progress',
  stats: 'stats',
  registerClient: 'registerClient',
  getClient: 'getClient',
  changeClientLimits: 'changeClientLimits',
  authenticate: 'authenticate',
} as const;

export const DialerRpc = {
  activeCalls: 'activeCalls',
} as const;

export interface ActiveCallsRequest extends RequestContext {
  campaignId?: string;
  includeCalls?: boolean;
}

export interface ScopeUsage {
  active: number;
  limit: number;
  /** active / limit, in percent. */
  utilisation: number;
}

export interface ActiveCallsResponse {
  global: ScopeUsage;
  client: ScopeUsage & { clientId: string };
  campaigns: (ScopeUsage & { campaignId: string; status: string; calls?: string[] })[];
}

export const CallTrackingRpc = {
  listCalls: 'listCalls',
} as const;

export interface CreateCampaignRequest extends RequestContext {
  campaign: {
    name: string;
    description?: string;
    agentId?: string;
    listId?: string;
    fromNumber: string;
    fromNumbers?: string[];
    wssUrl?: string;
    answerUrl?: string;
    scheduledTime?: string;
    settings?: Partial<CampaignSettings>;
  };
}

export interface CampaignRequest extends RequestContext {
  campaignId: string;
}

export interface ScheduleCampaignRequest extends CampaignRequest {
  scheduledTime: string;
}

export interface UpdateCampaignRequest extends CampaignRequest {
  changes: { name?: string; description?: string; settings?: Partial<CampaignSettings> };
}

export interface RetryCampaignRequest extends CampaignRequest {
  includeVoicemail?: boolean;
}

export interface RetryCampaignResponse {
  campaignId: string;
  status: string;
  /** Contacts dialled again. */
  requeued: number;
}

/** From the scheduler: the retries that followed these calls fell due. */
export interface ReleaseRetriesRequest {
  campaignId: string;
  callIds: string[];
  correlationId: string;
}

export interface AddContactsRequest extends CampaignRequest {
  contacts: Record<string, unknown>[];
  /** Row number of the first contact, for error reports of CSV chunks. */
  firstRow?: number;
}

export interface AddContactsResponse {
  accepted: number;
  rejected: { row: number; phoneNumber: string; reason: string }[];
  duplicates: number;
}

export interface PageQuery {
  page: number;
  limit: number;
  status?: string;
}

export interface ListRequest extends RequestContext, PageQuery {}
export interface CampaignListRequest extends CampaignRequest, PageQuery {}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface ProgressResponse {
  campaign: {
    id: string;
    status: string;
    totalContacts: number;
    queuedCalls: number;
    activeCalls: number;
    completedCalls: number;
    failedCalls: number;
    voicemailCalls: number;
    progress: number;
    successRate: number;
    startedAt?: string;
    estimatedCompletionAt?: string;
  };
  queue: { waiting: number; active: number; completed: number; failed: number; delayed: number };
}

export interface RegisterClientRequest {
  correlationId: string;
  commandId: string;
  name: string;
  maxConcurrentCalls?: number;
}

export interface ClientView {
  id: string;
  name: string;
  maxConcurrentCalls: number;
  createdAt: string;
}

export interface AuthenticateRequest {
  apiKeyHash: string;
}

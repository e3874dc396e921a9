/**
 * Every subject, stream and bucket name in one place. `namespace` (env NATS_NAMESPACE, empty in
 * production) prefixes all of them so that several isolated systems can share one NATS server in tests.
 */
export class Subjects {
  readonly streams: { campaigns: string; clients: string; calls: string; dial: string; lists: string; dnc: string };
  readonly buckets: { campaignRuntime: string; clientRuntime: string; slots: string; idempotency: string; contactIndex: string; dnc: string };

  constructor(readonly namespace = '') {
    // Assigned here, not as field initialisers: those would run before `namespace` is set.
    this.streams = {
      campaigns: this.n('CAMPAIGNS'),
      clients: this.n('CLIENTS'),
      calls: this.n('CALLS'),
      dial: this.n('DIAL'),
      lists: this.n('LISTS'),
      dnc: this.n('DNC'),
    };
    this.buckets = {
      campaignRuntime: this.n('campaign_runtime'),
      clientRuntime: this.n('client_runtime'),
      slots: this.n('slots'),
      idempotency: this.n('idempotency'),
      contactIndex: this.n('contact_index'),
      dnc: this.n('dnc'),
    };
  }

  private p(name: string): string {
    return this.namespace ? `${this.namespace}.${name}` : name;
  }
  private n(name: string): string {
    return this.namespace ? `${this.namespace.replace(/[^A-Za-z0-9_-]/g, '_')}_${name}` : name;
  }

  // ---- event subjects ------------------------------------------------------------------------
  campaignEvents(campaignId: string): string {
    return this.p(`campaign.${campaignId}.events`);
  }
  campaignContacts(campaignId: string): string {
    return this.p(`campaign.${campaignId}.contacts`);
  }
  campaignRetries(campaignId: string): string {
    return this.p(`campaign.${campaignId}.retries`);
  }
  allCampaigns(): string {
    return this.p('campaign.>');
  }
  /** Aggregate events and contact batches of every campaign (not the retry notices). */
  campaignEventsAndContacts(): string[] {
    return [this.p('campaign.*.events'), this.p('campaign.*.contacts')];
  }
  allCampaignRetries(): string {
    return this.p('campaign.*.retries');
  }
  clientEvents(clientId: string): string {
    return this.p(`client.${clientId}.events`);
  }
  allClients(): string {
    return this.p('client.>');
  }
  callEvent(campaignId: string, callId: string, kind: CallEventKind): string {
    return this.p(`call.${campaignId}.${callId}.${kind}`);
  }
  callEventsOfKind(kind: CallEventKind | '*'): string {
    return this.p(`call.*.*.${kind}`);
  }
  allCalls(): string {
    return this.p('call.>');
  }
  listEvents(listId: string): string {
    return this.p(`list.${listId}.events`);
  }
  listContacts(listId: string): string {
    return this.p(`list.${listId}.contacts`);
  }
  allLists(): string {
    return this.p('list.>');
  }
  dncEvents(clientId: string): string {
    return this.p(`dnc.${clientId}.events`);
  }
  allDnc(): string {
    return this.p('dnc.>');
  }
  dialQueue(campaignId: string): string {
    return this.p(`dial.${campaignId}`);
  }
  allDial(): string {
    return this.p('dial.>');
  }

  // ---- request/reply subjects (commands and queries) ------------------------------------------
  command(service: ServiceName, name: string): string {
    return this.p(`cmd.${service}.${name}`);
  }
  query(service: ServiceName, name: string): string {
    return this.p(`query.${service}.${name}`);
  }
  health(service: ServiceName): string {
    return this.p(`health.${service}`);
  }
}

export type ServiceName = 'campaigns' | 'dialer' | 'call-tracking' | 'scheduler';
export type CallEventKind = 'requested' | 'initiated' | 'ringing' | 'answered' | 'machine' | 'ended' | 'skipped';

/** The call id in a call event subject (`[ns.]call.<campaignId>.<callId>.<kind>`). */
export function callIdOfSubject(subject: string): string {
  const tokens = subject.split('.');
  return tokens[tokens.length - 2];
}

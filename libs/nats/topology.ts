import {
  DiscardPolicy,
  JetStreamManager,
  KV,
  NatsConnection,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from 'nats';
import { Subjects } from '@contracts/subjects';

const SECOND_NS = 1_000_000_000;

/**
 * Every stream the system uses, with its settings. Created or updated idempotently at start-up by
 * each service (all services declare the same topology, so start order does not matter).
 */
export function streamConfigs(subjects: Subjects, replicas: number): Partial<StreamConfig>[] {
  const common = { storage: StorageType.File, num_replicas: replicas, allow_direct: true };
  return [
    {
      ...common,
      name: subjects.streams.campaigns,
      subjects: [subjects.allCampaigns()],
      retention: RetentionPolicy.Limits,
      duplicate_window: 10 * 60 * SECOND_NS,
      description: 'Campaign aggregates (campaign.<id>.events), their contact batches (campaign.<id>.contacts) and retry notices (campaign.<id>.retries)',
    },
    {
      ...common,
      name: subjects.streams.clients,
      subjects: [subjects.allClients()],
      retention: RetentionPolicy.Limits,
      duplicate_window: 10 * 60 * SECOND_NS,
      description: 'Client (tenant) aggregates: client.<id>.events',
    },
    {
      ...common,
      name: subjects.streams.calls,
      subjects: [subjects.allCalls()],
      retention: RetentionPolicy.Limits,
      duplicate_window: 30 * 60 * SECOND_NS,
      description: 'Call attempt events: call.<campaignId>.<callId>.<kind>',
    },
    {
      ...common,
      name: subjects.streams.dial,
      subjects: [subjects.allDial()],
      retention: RetentionPolicy.Workqueue,
      discard: DiscardPolicy.Old,
      duplicate_window: 10 * 60 * SECOND_NS,
      description: 'Work queue of contact attempts waiting to be dialled: dial.<campaignId>',
    },
    {
      ...common,
      name: subjects.streams.lists,
      subjects: [subjects.allLists()],
      retention: RetentionPolicy.Limits,
      duplicate_window: 10 * 60 * SECOND_NS,
      description: 'Contact lists (list.<id>.events) and their contact batches (list.<id>.contacts)',
    },
    {
      ...common,
      name: subjects.streams.dnc,
      subjects: [subjects.allDnc()],
      retention: RetentionPolicy.Limits,
      duplicate_window: 10 * 60 * SECOND_NS,
      description: 'Do-not-call numbers added and removed, per client: dnc.<clientId>.events',
    },
  ];
}

export async function ensureStreams(jsm: JetStreamManager, configs: Partial<StreamConfig>[]): Promise<void> {
  for (const config of configs) {
    try {
      const info = await jsm.streams.info(config.name!);
      await jsm.streams.update(config.name!, { ...info.config, ...config });
    } catch (e) {
      if (!/stream not found/i.test(String((e as Error).message))) throw e;
      await jsm.streams.add(config);
    }
  }
}

export interface Buckets {
  campaignRuntime: KV;
  clientRuntime: KV;
  slots: KV;
  contactIndex: KV;
  dnc: KV;
}

/** Opens (creating when missing) the KV buckets of small shared state. */
export async function ensureBuckets(nc: NatsConnection, subjects: Subjects, replicas: number): Promise<Buckets> {
  const js = nc.jetstream();
  const open = (name: string, description: string) =>
    js.views.kv(name, { history: 1, replicas, storage: StorageType.File, description });
  return {
    campaignRuntime: await open(subjects.buckets.campaignRuntime, 'Per campaign: status, limit and dial settings'),
    clientRuntime: await open(subjects.buckets.clientRuntime, 'Per client: concurrent-call limit'),
    slots: await open(subjects.buckets.slots, 'Concurrency slots: campaign.<id>, client.<id>, global'),
    contactIndex: await open(subjects.buckets.contactIndex, 'Contact ids taken per campaign or list: campaign.<id>.<contactId>, list.<id>.<contactId>'),
    dnc: await open(subjects.buckets.dnc, 'Do-not-call numbers: <clientId>.<sha256 of the E.164 number, hex>'),
  };
}

import { Static, Type } from '@sinclair/typebox';

export const CallWindowSchema = Type.Object({
  start: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  end: Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' }),
  timezone: Type.String(),
});

export const CampaignSettingsSchema = Type.Object({
  concurrentCallsLimit: Type.Integer({ minimum: 1 }),
  retryFailedCalls: Type.Boolean(),
  maxRetryAttempts: Type.Integer({ minimum: 0 }),
  retryDelayMinutes: Type.Number({ minimum: 0 }),
  excludeVoicemail: Type.Boolean(),
  priorityMode: Type.Union([Type.Literal('fifo'), Type.Literal('priority')]),
  callWindow: Type.Optional(CallWindowSchema),
  ringTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
  machineDetection: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('hangup'), Type.Literal('false')])),
});
export type CampaignSettings = Static<typeof CampaignSettingsSchema>;

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  concurrentCallsLimit: 3,
  retryFailedCalls: false,
  maxRetryAttempts: 3,
  retryDelayMinutes: 30,
  excludeVoicemail: true,
  priorityMode: 'fifo',
};

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'failed', 'deleted'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CONTACT_STATUSES = [
  'pending',
  'queued',
  'calling',
  'completed',
  'voicemail',
  'failed',
  'retry_scheduled',
  'cancelled',
  'skipped',
] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];
export const FINAL_CONTACT_STATUSES: readonly ContactStatus[] = ['completed', 'voicemail', 'failed', 'cancelled', 'skipped'];

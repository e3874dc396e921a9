import { Type } from '@sinclair/typebox';
import { defineEvent, EventOf } from '../envelope';
import { CampaignSettingsSchema } from './settings';

const IsoTime = Type.String({ format: 'date-time' });

export const CampaignCreatedV1 = defineEvent({
  type: 'CampaignCreated',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'A client created a campaign (status draft, or scheduled when scheduledTime is set).',
  data: Type.Object({
    campaignId: Type.String(),
    clientId: Type.String(),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    agentId: Type.Optional(Type.String()),
    listId: Type.Optional(Type.String()),
    fromNumber: Type.String({ description: 'E.164 caller id' }),
    fromNumbers: Type.Optional(Type.Array(Type.String())),
    wssUrl: Type.Optional(Type.String()),
    answerUrl: Type.Optional(Type.String()),
    scheduledTime: Type.Optional(IsoTime),
    scheduledBy: Type.Optional(Type.String()),
    settings: CampaignSettingsSchema,
    createdAt: IsoTime,
  }),
});

export const CampaignStartedV1 = defineEvent({
  type: 'CampaignStarted',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'The campaign began dialling its contacts.',
  data: Type.Object({ campaignId: Type.String(), startedAt: IsoTime, startedBy: Type.String() }),
});

export const CampaignCompletedV1 = defineEvent({
  type: 'CampaignCompleted',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'Every contact of the running campaign reached a final status.',
  data: Type.Object({ campaignId: Type.String(), completedAt: IsoTime, contacts: Type.Integer() }),
});

export const CampaignScheduledV1 = defineEvent({
  type: 'CampaignScheduled',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'The campaign was scheduled, or rescheduled, to start at scheduledTime.',
  data: Type.Object({ campaignId: Type.String(), scheduledTime: IsoTime, scheduledBy: Type.String() }),
});

export const CampaignUpdatedV1 = defineEvent({
  type: 'CampaignUpdated',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'Name, description or settings changed; `settings` is the complete new settings object. A new concurrentCallsLimit applies to a running campaign at once.',
  data: Type.Object({
    campaignId: Type.String(),
    name: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    settings: Type.Optional(CampaignSettingsSchema),
    updatedBy: Type.String(),
  }),
});

export const CampaignDeletedV1 = defineEvent({
  type: 'CampaignDeleted',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'The campaign was deleted (never while running); it is no longer visible and its queue is dropped.',
  data: Type.Object({ campaignId: Type.String(), deletedAt: IsoTime, deletedBy: Type.String() }),
});

export const CampaignPausedV1 = defineEvent({
  type: 'CampaignPaused',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'Dialling stopped; calls in flight finish and are counted, queued contacts wait for a resume.',
  data: Type.Object({ campaignId: Type.String(), pausedAt: IsoTime, pausedBy: Type.String() }),
});

export const CampaignResumedV1 = defineEvent({
  type: 'CampaignResumed',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'Dialling continues from where it stopped.',
  data: Type.Object({ campaignId: Type.String(), resumedAt: IsoTime, resumedBy: Type.String() }),
});

export const CampaignCancelledV1 = defineEvent({
  type: 'CampaignCancelled',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description: 'The campaign was cancelled; contacts not yet called become cancelled, calls in flight finish.',
  data: Type.Object({ campaignId: Type.String(), cancelledAt: IsoTime, cancelledBy: Type.String() }),
});

export const CampaignRetryRequestedV1 = defineEvent({
  type: 'CampaignRetryRequested',
  version: 1,
  subject: 'campaign.<campaignId>.events',
  description:
    'Contacts that ended `failed` (and `voicemail` when includeVoicemail) are dialled again, each with a fresh ' +
    'attempt budget. A completed campaign runs again.',
  data: Type.Object({
    campaignId: Type.String(),
    includeVoicemail: Type.Boolean(),
    requestedAt: IsoTime,
    requestedBy: Type.String(),
  }),
});

export const ContactRetryScheduledV1 = defineEvent({
  type: 'ContactRetryScheduled',
  version: 1,
  subject: 'campaign.<campaignId>.retries',
  description:
    "A contact's call ended with a retryable outcome and its attempt budget allows another call: it is dialled " +
    'again at retryAt (the scheduler releases it then). Published once per call (message id <callId>:retry).',
  data: Type.Object({
    campaignId: Type.String(),
    contactId: Type.String(),
    callId: Type.String({ description: 'the call whose outcome led to the retry' }),
    callsMade: Type.Integer({ minimum: 1, description: 'calls placed to this contact so far' }),
    retryAt: IsoTime,
  }),
});

export const ContactSchema = Type.Object({
  contactId: Type.String(),
  phoneNumber: Type.String({ description: 'E.164' }),
  name: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  priority: Type.Integer(),
  timezone: Type.Optional(Type.String()),
  customData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export const ContactsAddedV1 = defineEvent({
  type: 'ContactsAdded',
  version: 1,
  subject: 'campaign.<campaignId>.contacts',
  description:
    'A batch of validated, de-duplicated contacts joined the campaign. Kept on its own subject so that ' +
    'rebuilding the campaign aggregate never reads contact payloads.',
  data: Type.Object({
    campaignId: Type.String(),
    batchId: Type.String(),
    contacts: Type.Array(ContactSchema),
  }),
});

export type CampaignCreated = EventOf<typeof CampaignCreatedV1>;
export type CampaignStarted = EventOf<typeof CampaignStartedV1>;
export type CampaignCompleted = EventOf<typeof CampaignCompletedV1>;
export type ContactsAdded = EventOf<typeof ContactsAddedV1>;
export type CampaignScheduled = EventOf<typeof CampaignScheduledV1>;
export type CampaignUpdated = EventOf<typeof CampaignUpdatedV1>;
export type CampaignDeleted = EventOf<typeof CampaignDeletedV1>;
export type CampaignPaused = EventOf<typeof CampaignPausedV1>;
export type CampaignResumed = EventOf<typeof CampaignResumedV1>;
export type CampaignCancelled = EventOf<typeof CampaignCancelledV1>;
export type CampaignRetryRequested = EventOf<typeof CampaignRetryRequestedV1>;
export type ContactRetryScheduled = EventOf<typeof ContactRetryScheduledV1>;

/** Events of the campaign aggregate stream (`campaign.<id>.events`). */
export type CampaignEvent =
  | CampaignCreated
  | CampaignScheduled
  | CampaignStarted
  | CampaignPaused
  | CampaignResumed
  | CampaignCancelled
  | CampaignCompleted
  | CampaignUpdated
  | CampaignDeleted
  | CampaignRetryRequested;
export const CAMPAIGN_EVENT_CONTRACTS = [
  CampaignCreatedV1,
  CampaignScheduledV1,
  CampaignStartedV1,
  CampaignPausedV1,
  CampaignResumedV1,
  CampaignCancelledV1,
  CampaignCompletedV1,
  CampaignUpdatedV1,
  CampaignDeletedV1,
  CampaignRetryRequestedV1,
  ContactsAddedV1,
  ContactRetryScheduledV1,
];

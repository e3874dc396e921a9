import { Static, Type } from '@sinclair/typebox';
import { defineEvent, EventOf } from '../envelope';

const IsoTime = Type.String({ format: 'date-time' });

export const CALL_OUTCOMES = ['completed', 'voicemail', 'busy', 'no-answer', 'failed', 'timeout', 'cancelled'] as const;
export const CallOutcomeSchema = Type.Union(CALL_OUTCOMES.map((o) => Type.Literal(o)));
export type CallOutcome = Static<typeof CallOutcomeSchema>;
/**
 * failureReason of a CallEnded (outcome `cancelled`) for an attempt a dialer claimed but handed back
 * without calling, because the campaign was paused or cancelled in between: no call took place and
 * the contact is queued again (or cancelled with its campaign).
 */
export const NOT_DIALLED_CAMPAIGN_NOT_RUNNING = 'campaign_not_running';
/** failureReason of a CallEnded (outcome `cancelled`) for an attempt handed back because the contact's call window had closed. */
export const NOT_DIALLED_OUTSIDE_CALL_WINDOW = 'outside_call_window';
/** failureReason of a CallEnded (outcome `cancelled`) for an attempt a dialer handed back undialled because it was shutting down. */
export const NOT_DIALLED_DIALER_STOPPING = 'dialer_stopping';
/** Attempts ended with one of these reasons placed no call: they do not count against the contact's attempt budget. */
export const NOT_DIALLED_REASONS: readonly string[] = [NOT_DIALLED_CAMPAIGN_NOT_RUNNING, NOT_DIALLED_OUTSIDE_CALL_WINDOW, NOT_DIALLED_DIALER_STOPPING];

export const RETRYABLE_OUTCOMES: readonly CallOutcome[] = ['busy', 'no-answer', 'failed', 'timeout'];

/** Bot warm-up before the call (only when one is configured): tries made and time spent. */
const warmupFields = {
  warmupAttempts: Type.Optional(Type.Integer({ minimum: 0, description: 'bot warm-up tries made before the Call API request' })),
  warmupDurationMs: Type.Optional(Type.Number({ minimum: 0, description: 'time spent warming the bot up, in ms' })),
};

/** failureReason of a CallEnded (outcome `failed`, retryable) when the bot could not be warmed up: no call was placed. */
export const BOT_WARMUP_FAILED = 'bot_warmup_failed';

const callIds = {
  callId: Type.String({ description: 'our id of one dial attempt: <contactId>-a<attempt>' }),
  campaignId: Type.String(),
  contactId: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
};

export const CallRequestedV1 = defineEvent({
  type: 'CallRequested',
  version: 1,
  subject: 'call.<campaignId>.<callId>.requested',
  description:
    'A dialer holds the slots for this attempt and is about to send the Plivo Call API request. Published ' +
    'with expected subject sequence 0, so it is also the claim that makes each attempt dial at most once.',
  data: Type.Object({
    ...callIds,
    clientId: Type.String(),
    from: Type.String(),
    to: Type.String(),
    customData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** Whether the request asks Plivo for machine detection (absent in events published before the field existed). */
    machineDetection: Type.Optional(Type.Boolean()),
    requestedAt: IsoTime,
  }),
});

export const CallInitiatedV1 = defineEvent({
  type: 'CallInitiated',
  version: 1,
  subject: 'call.<campaignId>.<callId>.initiated',
  description: 'Plivo accepted the Call API request.',
  data: Type.Object({ ...callIds, requestUuid: Type.String(), initiatedAt: IsoTime, ...warmupFields }),
});

export const CallRingingV1 = defineEvent({
  type: 'CallRinging',
  version: 1,
  subject: 'call.<campaignId>.<callId>.ringing',
  description: "Plivo's ring callback: the destination is ringing.",
  data: Type.Object({ ...callIds, callUuid: Type.String(), requestUuid: Type.Optional(Type.String()), ringingAt: IsoTime }),
});

export const CallAnsweredV1 = defineEvent({
  type: 'CallAnswered',
  version: 1,
  subject: 'call.<campaignId>.<callId>.answered',
  description: "Plivo's answer callback: the call was picked up and connected to the bot or answer URL.",
  data: Type.Object({
    ...callIds,
    callUuid: Type.String(),
    answeredAt: IsoTime,
    machineDetected: Type.Boolean(),
  }),
});

export const CallMachineDetectedV1 = defineEvent({
  type: 'CallMachineDetected',
  version: 1,
  subject: 'call.<campaignId>.<callId>.machine',
  description: 'Plivo detected an answering machine (sync on answer, or the async machine-detection callback).',
  data: Type.Object({ ...callIds, callUuid: Type.String(), detectedAt: IsoTime }),
});

export const CallEndedV1 = defineEvent({
  type: 'CallEnded',
  version: 1,
  subject: 'call.<campaignId>.<callId>.ended',
  description:
    'The attempt is over, with its outcome. Published once per call (message id <callId>:ended); the ' +
    'slots it held are released on this event.',
  data: Type.Object({
    ...callIds,
    clientId: Type.String(),
    outcome: CallOutcomeSchema,
    callUuid: Type.Optional(Type.String()),
    endedAt: IsoTime,
    duration: Type.Optional(Type.Number()),
    billDuration: Type.Optional(Type.Number()),
    hangupCause: Type.Optional(Type.String()),
    hangupCauseCode: Type.Optional(Type.String()),
    machineDetected: Type.Optional(Type.Boolean()),
    failureReason: Type.Optional(Type.String()),
    ...warmupFields,
  }),
});

export type CallRequested = EventOf<typeof CallRequestedV1>;
export type CallInitiated = EventOf<typeof CallInitiatedV1>;
export type CallRinging = EventOf<typeof CallRingingV1>;
export type CallAnswered = EventOf<typeof CallAnsweredV1>;
export type CallMachineDetected = EventOf<typeof CallMachineDetectedV1>;
export type CallEnded = EventOf<typeof CallEndedV1>;
export type CallEvent = CallRequested | CallInitiated | CallRinging | CallAnswered | CallMachineDetected | CallEnded;
export const CALL_EVENT_CONTRACTS = [
  CallRequestedV1,
  CallInitiatedV1,
  CallRingingV1,
  CallAnsweredV1,
  CallMachineDetectedV1,
  CallEndedV1,
];

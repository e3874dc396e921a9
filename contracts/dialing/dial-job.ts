import { Static, Type } from '@sinclair/typebox';
import { CallWindowSchema } from '../campaigns/settings';

/**
 * One contact attempt waiting to be dialled, on the work-queue subject `dial.<campaignId>`.
 * Not an event: the DIAL stream is a work queue and the message is removed once a dialer claims it.
 */
export const DialJobSchema = Type.Object({
  campaignId: Type.String(),
  clientId: Type.String(),
  contactId: Type.String(),
  attempt: Type.Integer({ minimum: 1 }),
  phoneNumber: Type.String(),
  priority: Type.Integer(),
  customData: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  correlationId: Type.String(),
  /** The contact's call window (its own time zone applied); the dialer places no call outside it. */
  window: Type.Optional(CallWindowSchema),
});
export type DialJob = Static<typeof DialJobSchema>;

export function callIdOf(contactId: string, attempt: number): string {
  return `${contactId}-a${attempt}`;
}

export function contactIdOfCall(callId: string): string {
  return callId.replace(/-a\d+$/, '');
}

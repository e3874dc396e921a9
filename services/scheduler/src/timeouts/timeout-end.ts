import { JetStreamClient } from 'nats';
import { CallEnded, CallEndedV1, CallRequested } from '@contracts/calls/events';
import { Subjects } from '@contracts/subjects';
import { publishFirst } from '@libs/event-store/jetstream-event-store';

/**
 * Publishes a call's `timeout` end unless the call has an end already. The first end on the call's
 * `ended` subject wins (expected last subject sequence 0, as call-tracking publishes its ends), also
 * after the stream's duplicate window, which alone would let a late sweep add a second end to a call
 * that ended for real. Returns whether this end is the call's.
 */
export async function publishTimeoutEnd(js: JetStreamClient, subjects: Subjects, call: CallRequested): Promise<boolean> {
  const { callId, campaignId, contactId, attempt, clientId } = call.data;
  const now = new Date().toISOString();
  const event: CallEnded = {
    id: `${callId}:ended`,
    type: CallEndedV1.type,
    version: CallEndedV1.version,
    occurredAt: now,
    data: { callId, campaignId, contactId, attempt, clientId, outcome: 'timeout', endedAt: now, failureReason: 'no_final_callback' },
    metadata: { ...call.metadata, causationId: call.id },
  };
  return publishFirst(js, subjects.callEvent(campaignId, callId, 'ended'), event);
}

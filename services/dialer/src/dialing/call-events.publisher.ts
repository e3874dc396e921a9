import { randomUUID } from 'crypto';
import { JetStreamClient } from 'nats';
import { CallEnded, CallEndedV1, CallInitiatedV1, CallRequested, CallRequestedV1 } from '@contracts/calls/events';
import { EventEnvelope } from '@contracts/envelope';
import { Subjects } from '@contracts/subjects';
import { DialJob } from '@contracts/dialing/dial-job';
import { encodeEvent } from '@libs/event-store/codec';
import { isWrongLastSequence } from '@libs/event-store/jetstream-event-store';
import { WarmupResult } from '../warmup/warmup-policy';

/** The warm-up figures a call event carries, when a warm-up took place. */
function warmupFields(warmup: WarmupResult | undefined) {
  return warmup ? { warmupAttempts: warmup.attempts, warmupDurationMs: warmup.durationMs } : {};
}

function envelope<T extends string, D>(contract: { type: T; version: number }, job: DialJob, data: D): EventEnvelope<T, D> {
  return {
    id: randomUUID(),
    type: contract.type,
    version: contract.version,
    occurredAt: new Date().toISOString(),
    data,
    metadata: { aggregateId: job.contactId, campaignId: job.campaignId, clientId: job.clientId, correlationId: job.correlationId },
  };
}

/** Publishes the dialer's call events. */
export class CallEventsPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
  ) {}

  /**
   * The claim of one attempt: only the first CallRequested on the call's subject is accepted (expected
   * last subject sequence 0). Returns false when another dialer claimed the attempt first.
   */
  async claim(job: DialJob, callId: string, from: string, machineDetection: boolean): Promise<boolean> {
    const event: CallRequested = envelope(CallRequestedV1, job, {
      callId,
      campaignId: job.campaignId,
      contactId: job.contactId,
      attempt: job.attempt,
      clientId: job.clientId,
      from,
      to: job.phoneNumber,
      ...(job.customData ? { customData: job.customData } : {}),
      machineDetection,
      requestedAt: new Date().toISOString(),
    });
    try {
      await this.js.publish(this.subjects.callEvent(job.campaignId, callId, 'requested'), encodeEvent(event), {
        msgID: event.id,
        expect: { lastSubjectSequence: 0 },
      });
      return true;
    } catch (e) {
      if (isWrongLastSequence(e)) return false;
      throw e;
    }
  }

  async initiated(job: DialJob, callId: string, requestUuid: string, warmup?: WarmupResult): Promise<void> {
    const event = envelope(CallInitiatedV1, job, {
      callId,
      campaignId: job.campaignId,
      contactId: job.contactId,
      attempt: job.attempt,
      requestUuid,
      initiatedAt: new Date().toISOString(),
      ...warmupFields(warmup),
    });
    await this.js.publish(this.subjects.callEvent(job.campaignId, callId, 'initiated'), encodeEvent(event), { msgID: event.id });
  }

  /** The attempt failed before Plivo took it; published under the same id call-tracking uses, so only one end counts. */
  async failed(
    job: DialJob,
    callId: string,
    failureReason: string,
    outcome: 'failed' | 'cancelled' = 'failed',
    warmup?: WarmupResult,
  ): Promise<void> {
    const event: CallEnded = {
      ...envelope(CallEndedV1, job, {
        callId,
        campaignId: job.campaignId,
        contactId: job.contactId,
        attempt: job.attempt,
        clientId: job.clientId,
        outcome,
        endedAt: new Date().toISOString(),
        failureReason,
        ...warmupFields(warmup),
      }),
      id: `${callId}:ended`,
    };
    await this.js.publish(this.subjects.callEvent(job.campaignId, callId, 'ended'), encodeEvent(event), { msgID: event.id });
  }
}

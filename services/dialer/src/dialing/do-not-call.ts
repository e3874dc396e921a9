import { JetStreamClient, KV } from 'nats';
import { ContactSkipped, ContactSkippedV1 } from '@contracts/dnc/events';
import { doNotCallKey } from '@contracts/dnc/keys';
import { DialJob } from '@contracts/dialing/dial-job';
import { Subjects } from '@contracts/subjects';
import { encodeEvent } from '@libs/event-store/codec';

/**
 * The client's do-not-call list as the dialer sees it: one get in the `dnc` KV bucket (kept by the
 * campaigns service; an added number is there before its add is acknowledged).
 */
export class DoNotCall {
  constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
  ) {}

  async isListed(job: DialJob): Promise<boolean> {
    const entry = await this.kv.get(doNotCallKey(job.clientId, job.phoneNumber));
    return entry?.operation === 'PUT';
  }

  /**
   * Ends the attempt of a listed number without a call: publishes ContactSkipped (reason `dnc`,
   * message id `<callId>:skipped`, so a redelivered job is skipped once).
   */
  async skip(job: DialJob, callId: string): Promise<void> {
    const now = new Date().toISOString();
    const event: ContactSkipped = {
      id: `${callId}:skipped`,
      type: ContactSkippedV1.type,
      version: ContactSkippedV1.version,
      occurredAt: now,
      data: { callId, campaignId: job.campaignId, contactId: job.contactId, attempt: job.attempt, clientId: job.clientId, reason: 'dnc', skippedAt: now },
      metadata: { aggregateId: job.contactId, campaignId: job.campaignId, clientId: job.clientId, correlationId: job.correlationId },
    };
    await this.js.publish(this.subjects.callEvent(job.campaignId, callId, 'skipped'), encodeEvent(event), { msgID: event.id });
  }
}

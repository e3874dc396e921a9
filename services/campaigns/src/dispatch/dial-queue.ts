import { JetStreamClient } from 'nats';
import { Subjects } from '@contracts/subjects';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { ContactDoc } from '../read-models/contacts.read-model';

const encoder = new TextEncoder();

/**
 * Puts contact attempts on the DIAL work queue. The message id is the call id, so a replay within the
 * duplicate window is dropped by JetStream (and a later one by the dialer's claim on the call subject).
 */
export class DialQueue {
  constructor(
    private readonly js: JetStreamClient,
    private readonly subjects: Subjects,
  ) {}

  async enqueue(contacts: ContactDoc[], correlationId: string): Promise<void> {
    await Promise.all(
      contacts.map((c) => {
        const attempt = c.attempts + 1;
        const job: DialJob = {
          campaignId: c.campaignId,
          clientId: c.clientId,
          contactId: c._id,
          attempt,
          phoneNumber: c.phoneNumber,
          priority: c.priority,
          ...(c.customData ? { customData: c.customData } : {}),
          correlationId,
        };
        return this.js.publish(this.subjects.dialQueue(c.campaignId), encoder.encode(JSON.stringify(job)), {
          msgID: `dial:${callIdOf(c._id, attempt)}`,
        });
      }),
    );
  }
}

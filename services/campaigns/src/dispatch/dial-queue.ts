import { JetStreamClient, JetStreamManager } from 'nats';
import { Subjects } from '@contracts/subjects';
import { callIdOf, DialJob } from '@contracts/dialing/dial-job';
import { CallWindow } from '@libs/call-window/call-window';
import { ContactDoc } from '../read-models/contacts.read-model';

const encoder = new TextEncoder();

/**
 * Puts contact attempts on the DIAL work queue. The message id is the call id, so a replay within the
 * duplicate window is dropped by JetStream (and a later one by the dialer's claim on the call subject).
 */
export class DialQueue {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly subjects: Subjects,
  ) {}

  async enqueue(contacts: ContactDoc[], correlationId: string, windowOf: (c: ContactDoc) => CallWindow | undefined = () => undefined): Promise<void> {
    await Promise.all(
      contacts.map((c) => {
        const attempt = c.attempts + 1;
        const window = windowOf(c);
        const job: DialJob = {
          campaignId: c.campaignId,
          clientId: c.clientId,
          contactId: c._id,
          attempt,
          phoneNumber: c.phoneNumber,
          priority: c.priority,
          ...(c.customData ? { customData: c.customData } : {}),
          correlationId,
          ...(window ? { window } : {}),
        };
        return this.js.publish(this.subjects.dialQueue(c.campaignId), encoder.encode(JSON.stringify(job)), {
          msgID: `dial:${callIdOf(c._id, attempt)}`,
        });
      }),
    );
  }

  /** Jobs of the campaign not yet claimed (waiting, or held by a dialer waiting for a slot). */
  async depth(campaignId: string): Promise<number> {
    const subject = this.subjects.dialQueue(campaignId);
    const info = await this.jsm.streams.info(this.subjects.streams.dial, { subjects_filter: subject });
    return info.state.subjects?.[subject] ?? 0;
  }

  async purge(campaignId: string): Promise<void> {
    await this.jsm.streams.purge(this.subjects.streams.dial, { filter: this.subjects.dialQueue(campaignId) });
  }
}

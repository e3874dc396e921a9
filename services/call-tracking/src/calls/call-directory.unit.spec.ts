import { CallRequested } from '@contracts/calls/events';
import { NatsContext } from '@libs/nats/nats-context';
import { CallDirectory } from './call-directory';

const requested: CallRequested = {
  id: 'e1',
  type: 'CallRequested',
  version: 1,
  occurredAt: '2026-11-21T10:00:00.000Z',
  data: { callId: 'k1-a1', campaignId: 'c1', contactId: 'k1', attempt: 1, clientId: 'cl', from: '+14155550100', to: '+14155552671', requestedAt: '2026-11-21T10:00:00.000Z' },
  metadata: { aggregateId: 'k1', campaignId: 'c1', clientId: 'cl', correlationId: 'x' },
};

describe('CallDirectory', () => {
  it('answers for a call the projection has seen requested without asking the stream', async () => {
    const noStream = {
      get jsm(): never {
        throw new Error('the stream was asked');
      },
    } as unknown as NatsContext;
    const directory = new CallDirectory(noStream);
    directory.remember(requested);
    await expect(directory.callRequested('c1', 'k1-a1')).resolves.toBe(requested);
    directory.forget('c1', 'k1-a1');
    await expect(directory.callRequested('c1', 'k1-a1')).rejects.toThrow('the stream was asked');
  });
});

import { JetStreamManager } from 'nats';
import { DomainError } from '@libs/decider/decider';

/**
 * Waits until a strictly ordered projection (one message in flight) has handled the message at
 * stream sequence `seq`: its consumer's ack floor reached it. Lets a command answer only once its
 * effect is visible (e.g. dialers already see a number added to the do-not-call list).
 */
export async function waitUntilProjected(jsm: JetStreamManager, stream: string, durable: string, seq: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const floor = await jsm.consumers
      .info(stream, durable)
      .then((info) => info.ack_floor.stream_seq)
      .catch(() => 0); // not created yet: the service is still starting
    if (floor >= seq) return;
    if (Date.now() > deadline) throw new DomainError('conflict', `the change is stored but not applied yet (${durable} is behind); check again shortly`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

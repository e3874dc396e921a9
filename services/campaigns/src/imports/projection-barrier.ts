import { JetStreamManager } from 'nats';
import { DomainError } from '@libs/decider/decider';
import { isNotFound } from '@libs/event-store/jetstream-event-store';

export interface ProjectionBarrierOptions {
  /** Give up (503 at the edge) when the projection has not caught up by then. */
  timeoutMs: number;
  pollMs?: number;
}

/** The projection is behind for longer than a command may wait. */
export class ProjectionLagError extends DomainError {}

/**
 * Waits until a strictly ordered projection (a durable consumer with one message in flight) has
 * handled every message published so far on one subject: the consumer's ack floor has reached the
 * subject's last sequence. Imports use it so that de-duplication against a read model also sees the
 * batches sent just before.
 */
export class ProjectionBarrier {
  constructor(
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    private readonly durable: string,
    private readonly options: ProjectionBarrierOptions,
  ) {}

  async waitFor(subject: string): Promise<void> {
    const last = await this.lastSequence(subject);
    if (last === 0) return;
    const deadline = Date.now() + this.options.timeoutMs;
    for (;;) {
      if ((await this.ackFloor()) >= last) return;
      if (Date.now() > deadline) {
        throw new ProjectionLagError('conflict', `earlier contacts are still being processed (${this.durable} is behind); retry shortly`);
      }
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 20));
    }
  }

  private async lastSequence(subject: string): Promise<number> {
    try {
      return (await this.jsm.streams.getMessage(this.stream, { last_by_subj: subject })).seq;
    } catch (e) {
      if (isNotFound(e)) return 0;
      throw e;
    }
  }

  private async ackFloor(): Promise<number> {
    try {
      return (await this.jsm.consumers.info(this.stream, this.durable)).ack_floor.stream_seq;
    } catch {
      return 0; // not created yet: its service is still starting
    }
  }
}

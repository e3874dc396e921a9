import { Inject, Injectable } from '@nestjs/common';
import {
  CallAnsweredV1,
  CallEndedV1,
  CallMachineDetectedV1,
  CallRequested,
  CallRingingV1,
} from '@contracts/calls/events';
import { EventEnvelope } from '@contracts/envelope';
import { CallEventKind } from '@contracts/subjects';
import { publishFirst } from '@libs/event-store/jetstream-event-store';
import { NatsContext } from '@libs/nats/nats-context';
import { NATS } from '@libs/nest/tokens';
import { TrackingMetrics } from '../metrics/tracking-metrics';

type Contract = { type: string; version: number };

/**
 * Publishes call events from webhooks, each at most once per call and kind, however often and late Plivo
 * delivers the callback: every kind has its own subject, published with expected last subject sequence 0
 * (a later copy is refused, with no time limit), and message id `<callId>:<kind>` (concurrent copies inside
 * the duplicate window are dropped by JetStream). Resolves to false when the event was already there.
 */
@Injectable()
export class TrackingEventsPublisher {
  constructor(
    @Inject(NATS) private readonly nats: NatsContext,
    private readonly metrics: TrackingMetrics,
  ) {}

  ringing(call: CallRequested, data: { callUuid: string; requestUuid?: string }) {
    return this.publish(call, 'ringing', CallRingingV1, { ...data, ringingAt: now() });
  }

  answered(call: CallRequested, data: { callUuid: string; machineDetected: boolean }) {
    return this.publish(call, 'answered', CallAnsweredV1, { ...data, answeredAt: now() });
  }

  machineDetected(call: CallRequested, data: { callUuid: string }) {
    return this.publish(call, 'machine', CallMachineDetectedV1, { ...data, detectedAt: now() });
  }

  async ended(call: CallRequested, data: Omit<typeof CallEndedV1.dataSchema.static, 'callId' | 'campaignId' | 'contactId' | 'attempt' | 'clientId'>) {
    const isNew = await this.publish(call, 'ended', CallEndedV1, { clientId: call.data.clientId, ...data });
    if (isNew) this.metrics.callEnded(data.outcome);
    return isNew;
  }

  private async publish(call: CallRequested, kind: CallEventKind, contract: Contract, data: object): Promise<boolean> {
    const { callId, campaignId, contactId, attempt } = call.data;
    const event: EventEnvelope = {
      id: `${callId}:${kind}`,
      type: contract.type,
      version: contract.version,
      occurredAt: now(),
      data: { callId, campaignId, contactId, attempt, ...data },
      metadata: {
        aggregateId: contactId,
        campaignId,
        clientId: call.data.clientId,
        correlationId: call.metadata.correlationId,
        causationId: call.id,
      },
    };
    const isNew = await publishFirst(this.nats.js, this.nats.subjects.callEvent(campaignId, callId, kind), event);
    this.metrics.eventPublished(kind, isNew);
    return isNew;
  }
}

const now = () => new Date().toISOString();

import { Controller, createParamDecorator, ExecutionContext, Header, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { CallRequested } from '@contracts/calls/events';
import { LOGGER } from '@libs/nest/tokens';
import { CallDirectory } from '../calls/call-directory';
import { answerXml } from './answer-xml';
import { TrackingEventsPublisher } from './call-events.publisher';
import { endedFromHangup } from './hangup-report';
import { outcomeOf } from './outcome';
import { PlivoSignatureGuard } from './plivo-signature.guard';

type Params = Record<string, string | undefined>;

/**
 * Plivo's machine detection takes up to `machine_detection_time` from the answer (Plivo's default,
 * 5 s, which the dialer leaves as is), plus a second of margin: an answered call that lasted no longer
 * may end before its machine callback arrives, as when Plivo hangs up on the machine (both callbacks
 * leave together).
 */
const MACHINE_DETECTION_WINDOW_S = 6;
/** How long such a hangup waits for the machine callback, looking every MACHINE_LOOK_MS. */
const MACHINE_RESULT_WAIT_MS = 1_500;
const MACHINE_LOOK_MS = 100;

/** The form parameters of a Plivo callback, one string per name ({} when there is no form body). */
const PlivoParams = createParamDecorator((_: unknown, ctx: ExecutionContext): Params => {
  const body = ctx.switchToHttp().getRequest<FastifyRequest>().body as Record<string, unknown> | undefined;
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]));
});

/**
 * Plivo's callbacks for one call: `/plivo/<campaignId>/<callId>/<ring|answer|machine|hangup>`.
 * Every request must carry a valid V3 signature over the URL Plivo called (PlivoSignatureGuard);
 * otherwise 403 and nothing is published. Every handler may run twice, concurrently or late: each
 * event is published at most once per call and kind (TrackingEventsPublisher), and a callback for a
 * call that already ended publishes nothing new about its outcome.
 */
@Controller('plivo/:campaignId/:callId')
@UseGuards(PlivoSignatureGuard)
export class PlivoWebhooksController {
  constructor(
    @Inject(LOGGER) private readonly log: Logger,
    private readonly calls: CallDirectory,
    private readonly events: TrackingEventsPublisher,
  ) {}

  @Post('answer')
  @HttpCode(200)
  @Header('content-type', 'application/xml')
  async answer(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @PlivoParams() params: Params) {
    const [call, campaign] = await Promise.all([this.calls.callRequested(campaignId, callId), this.calls.campaign(campaignId)]);
    if (call) {
      const callUuid = params.CallUUID ?? '';
      const machine = params.Machine === 'true';
      await Promise.all([
        this.events.answered(call, { callUuid, machineDetected: machine }),
        machine ? this.events.machineDetected(call, { callUuid }) : undefined,
      ]);
    } else this.log.warn({ campaignId, callId }, 'answer callback for an unknown call');
    return answerXml(campaign, call);
  }

  @Post('ring')
  @HttpCode(200)
  async ring(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @PlivoParams() params: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (call) await this.events.ringing(call, { callUuid: params.CallUUID ?? '', ...(params.RequestUUID ? { requestUuid: params.RequestUUID } : {}) });
    return 'OK';
  }

  @Post('machine')
  @HttpCode(200)
  async machine(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @PlivoParams() params: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (call && params.Machine === 'true') await this.events.machineDetected(call, { callUuid: params.CallUUID ?? '' });
    return 'OK';
  }

  @Post('hangup')
  @HttpCode(200)
  async hangup(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @PlivoParams() params: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (!call) {
      this.log.warn({ campaignId, callId }, 'hangup callback for an unknown call');
      return 'OK';
    }
    const machineDetected = await this.machineDetected(call, params);
    const ended = endedFromHangup(params, machineDetected, new Date().toISOString());
    const published = await this.events.ended(call, ended);
    if (!published) this.log.debug({ campaignId, callId }, 'hangup for a call that already ended: nothing new published');
    this.calls.forget(campaignId, callId);
    return 'OK';
  }

  /**
   * Whether a machine answered: said on this callback, or by a machine callback before it. A call
   * requested without machine detection has none to look up. One requested with it that was answered
   * and ended within the detection window waits up to MACHINE_RESULT_WAIT_MS for a machine callback
   * that may have been sent with the hangup: the end is published once, so a late machine result
   * would otherwise leave a voicemail counted as `completed`.
   */
  private async machineDetected(call: CallRequested, params: Params): Promise<boolean> {
    if (params.Machine === 'true') return true;
    if (call.data.machineDetection === false) return false;
    const { campaignId, callId } = call.data;
    const seen = () => this.calls.hasEvent(campaignId, callId, 'machine');
    if (await seen()) return true;
    const answeredBriefly = outcomeOf(params, false).outcome === 'completed' && Number(params.Duration ?? Infinity) <= MACHINE_DETECTION_WINDOW_S;
    if (call.data.machineDetection !== true || !answeredBriefly) return false;
    for (let waited = 0; waited < MACHINE_RESULT_WAIT_MS; waited += MACHINE_LOOK_MS) {
      await new Promise((resolve) => setTimeout(resolve, MACHINE_LOOK_MS));
      if (await seen()) return true;
    }
    return false;
  }
}

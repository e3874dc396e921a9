import { Body, Controller, Header, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { Logger } from 'pino';
import { LOGGER } from '@libs/nest/tokens';
import { CallDirectory } from '../calls/call-directory';
import { answerXml } from './answer-xml';
import { TrackingEventsPublisher } from './call-events.publisher';
import { outcomeOf } from './outcome';
import { PlivoSignatureGuard } from './plivo-signature.guard';

type Params = Record<string, string>;

const num = (v: string | undefined) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));

/**
 * Plivo's callbacks for one call: `/plivo/<campaignId>/<callId>/<ring|answer|machine|hangup>`.
 * Every request must carry a valid V3 signature over the URL Plivo called; otherwise 403 and nothing
 * is published.
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
  async answer(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    const [call, campaign] = await Promise.all([this.calls.callRequested(campaignId, callId), this.calls.campaign(campaignId)]);
    if (call) {
      const machine = body.Machine === 'true';
      await this.events.answered(call, { callUuid: body.CallUUID ?? '', machineDetected: machine });
      if (machine) await this.events.machineDetected(call, { callUuid: body.CallUUID ?? '' });
    } else this.log.warn({ campaignId, callId }, 'answer callback for an unknown call');
    return answerXml(campaign, call);
  }

  @Post('ring')
  @HttpCode(200)
  async ring(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (call) await this.events.ringing(call, { callUuid: body.CallUUID ?? '', ...(body.RequestUUID ? { requestUuid: body.RequestUUID } : {}) });
    return 'OK';
  }

  @Post('machine')
  @HttpCode(200)
  async machine(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (call && body.Machine === 'true') await this.events.machineDetected(call, { callUuid: body.CallUUID ?? '' });
    return 'OK';
  }

  @Post('hangup')
  @HttpCode(200)
  async hangup(@Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    const call = await this.calls.callRequested(campaignId, callId);
    if (!call) {
      this.log.warn({ campaignId, callId }, 'hangup callback for an unknown call');
      return 'OK';
    }
    const machineDetected = body.Machine === 'true' || (await this.calls.hasEvent(campaignId, callId, 'machine'));
    await this.events.ended(call, {
      outcome: outcomeOf(body, machineDetected),
      ...(body.CallUUID ? { callUuid: body.CallUUID } : {}),
      endedAt: new Date().toISOString(),
      ...(num(body.Duration) !== undefined ? { duration: num(body.Duration) } : {}),
      ...(num(body.BillDuration) !== undefined ? { billDuration: num(body.BillDuration) } : {}),
      ...(body.HangupCause ? { hangupCause: body.HangupCause } : {}),
      ...(body.HangupCauseCode ? { hangupCauseCode: body.HangupCauseCode } : {}),
      machineDetected,
    });
    this.calls.forget(campaignId, callId);
    return 'OK';
  }
}

import { Body, Controller, ForbiddenException, Header, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { Logger } from 'pino';
import { CONFIG, LOGGER } from '@libs/nest/tokens';
import { CallDirectory } from '../calls/call-directory';
import { TrackingConfig } from '../config';
import { answerXml } from './answer-xml';
import { TrackingEventsPublisher } from './call-events.publisher';
import { outcomeOf } from './outcome';
import { hasValidSignature } from './signature';

type Params = Record<string, string>;

const num = (v: string | undefined) => (v === undefined || v === '' || Number.isNaN(Number(v)) ? undefined : Number(v));

/**
 * Plivo's callbacks for one call: `/plivo/<campaignId>/<callId>/<ring|answer|machine|hangup>`.
 * Every request must carry a valid V3 signature over the URL Plivo called; otherwise 403 and nothing
 * is published.
 */
@Controller('plivo/:campaignId/:callId')
export class PlivoWebhooksController {
  private readonly publicOrigin: string;

  constructor(
    @Inject(CONFIG) private readonly config: TrackingConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly calls: CallDirectory,
    private readonly events: TrackingEventsPublisher,
  ) {
    const base = new URL(config.PUBLIC_BASE_URL);
    this.publicOrigin = `${base.origin}${base.pathname.replace(/\/$/, '')}`;
  }

  @Post('answer')
  @HttpCode(200)
  @Header('content-type', 'application/xml')
  async answer(@Req() req: Request, @Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    this.verify(req, body);
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
  async ring(@Req() req: Request, @Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    this.verify(req, body);
    const call = await this.calls.callRequested(campaignId, callId);
    if (call) await this.events.ringing(call, { callUuid: body.CallUUID ?? '', ...(body.RequestUUID ? { requestUuid: body.RequestUUID } : {}) });
    return 'OK';
  }

  @Post('machine')
  @HttpCode(200)
  async machine(@Req() req: Request, @Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    this.verify(req, body);
    const call = await this.calls.callRequested(campaignId, callId);
    if (call && body.Machine === 'true') await this.events.machineDetected(call, { callUuid: body.CallUUID ?? '' });
    return 'OK';
  }

  @Post('hangup')
  @HttpCode(200)
  async hangup(@Req() req: Request, @Param('campaignId') campaignId: string, @Param('callId') callId: string, @Body() body: Params) {
    this.verify(req, body);
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

  private verify(req: Request, body: Params): void {
    const ok = hasValidSignature(
      {
        method: req.method,
        url: `${this.publicOrigin}${req.originalUrl}`,
        params: body ?? {},
        signature: req.header('x-plivo-signature-v3'),
        nonce: req.header('x-plivo-signature-v3-nonce'),
      },
      this.config.PLIVO_AUTH_TOKEN,
    );
    if (!ok) {
      this.log.warn({ url: req.originalUrl }, 'webhook with a missing or bad signature refused');
      throw new ForbiddenException('invalid Plivo signature');
    }
  }
}

import * as plivo from 'plivo';
import { CallRequested } from '@contracts/calls/events';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { extraHeaders, streamUrl } from './stream-parameters';

interface PlivoXml {
  addStream(url: string, attributes: Record<string, unknown>): void;
  addRedirect(url: string, attributes?: Record<string, unknown>): void;
  addHangup(attributes: Record<string, unknown>): void;
  toXML(): string;
}

/** mu-law 8 kHz, the telephone codec, so Plivo streams the call's audio without resampling. */
const STREAM_CONTENT_TYPE = 'audio/x-mulaw;rate=8000';

/**
 * The answer XML: a bidirectional `<Stream>` to the campaign's bot that keeps the call up while the stream
 * lasts, with the call's ids and the contact's custom data (see stream-parameters.ts), or a `<Redirect>` to
 * the campaign's own answer URL. An unknown call or campaign is hung up as rejected.
 */
export function answerXml(campaign: CampaignRuntime | undefined, call: CallRequested | undefined): string {
  const response = new (plivo as unknown as { Response: new () => PlivoXml }).Response();
  if (!campaign || !call) {
    response.addHangup({ reason: 'rejected' });
    return response.toXML();
  }
  if (campaign.answerUrl && !campaign.wssUrl) {
    response.addRedirect(campaign.answerUrl, { method: 'POST' });
    return response.toXML();
  }
  response.addStream(streamUrl(campaign.wssUrl!, call), {
    bidirectional: true,
    keepCallAlive: true,
    contentType: STREAM_CONTENT_TYPE,
    extraHeaders: extraHeaders(call, campaign),
  });
  return response.toXML();
}

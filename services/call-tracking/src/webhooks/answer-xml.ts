import * as plivo from 'plivo';
import { CallRequested } from '@contracts/calls/events';
import { CampaignRuntime } from '@contracts/dialing/runtime';

interface PlivoXml {
  addStream(url: string, attributes: Record<string, unknown>): void;
  addRedirect(url: string): void;
  addHangup(attributes: Record<string, unknown>): void;
  toXML(): string;
}

/** Plivo caps extraHeaders; keep well under it and drop custom data that does not fit. */
const EXTRA_HEADERS_MAX = 512;

/**
 * The answer XML: a bidirectional `<Stream>` to the campaign's bot with the call's ids and the contact's
 * custom data as extra headers, or a redirect to the campaign's own answer URL.
 */
export function answerXml(campaign: CampaignRuntime | undefined, call: CallRequested | undefined): string {
  const response = new (plivo as unknown as { Response: new () => PlivoXml }).Response();
  if (!campaign || !call) {
    response.addHangup({ reason: 'rejected' });
    return response.toXML();
  }
  if (campaign.answerUrl && !campaign.wssUrl) {
    response.addRedirect(campaign.answerUrl);
    return response.toXML();
  }
  response.addStream(campaign.wssUrl!, {
    bidirectional: true,
    keepCallAlive: true,
    contentType: 'audio/x-mulaw;rate=8000',
    extraHeaders: extraHeaders(call, campaign),
  });
  return response.toXML();
}

export function extraHeaders(call: CallRequested, campaign: CampaignRuntime): string {
  const { campaignId, contactId, callId, attempt } = call.data;
  const pairs: [string, string][] = [
    ['campaignId', campaignId],
    ['contactId', contactId],
    ['callId', callId],
    ['attempt', String(attempt)],
  ];
  if (campaign.agentId) pairs.push(['agentId', campaign.agentId]);
  let header = pairs.map(([k, v]) => `${k}=${safe(v)}`).join(',');
  for (const [k, v] of Object.entries(call.data.customData ?? {})) {
    const next = `${header},${safe(k)}=${safe(typeof v === 'string' ? v : JSON.stringify(v))}`;
    if (next.length > EXTRA_HEADERS_MAX) break;
    header = next;
  }
  return header;
}

/** extraHeaders is a comma-separated list of key=value; neither may contain the separators. */
function safe(value: string): string {
  return value.replace(/[,=\s]/g, '_');
}

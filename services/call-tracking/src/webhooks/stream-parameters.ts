import { CallRequested } from '@contracts/calls/events';
import { CampaignRuntime } from '@contracts/dialing/runtime';

/**
 * Plivo's limits for `<Stream extraHeaders>` (docs: voice/xml/audiostream): `key=value` pairs joined by
 * commas, at most 512 bytes, keys and values of [A-Za-z0-9] only.
 */
export const EXTRA_HEADERS_MAX_BYTES = 512;
const ALNUM = /^[A-Za-z0-9]+$/;
/** Longest stream URL we hand Plivo; beyond it customData is left out of the URL (a common URL limit). */
export const STREAM_URL_MAX_BYTES = 2048;

/**
 * The call's ids for the bot, within Plivo's extraHeaders rules: ids keep only their letters and digits
 * (a UUID loses its hyphens, callId `<contactId>-a2` becomes `<contactId>a2`), then every customData entry
 * whose key and value are already plain letters and digits, in order, while the whole stays within
 * 512 bytes. Other entries are left out here; the stream URL carries all of customData (streamUrl).
 */
export function extraHeaders(call: CallRequested, campaign: CampaignRuntime): string {
  const { campaignId, contactId, callId, attempt } = call.data;
  const ids: [string, string][] = [
    ['campaignId', campaignId],
    ['contactId', contactId],
    ['callId', callId],
    ['attempt', String(attempt)],
  ];
  if (campaign.agentId) ids.push(['agentId', campaign.agentId]);
  let header = ids
    .map(([key, value]) => [key, alnumOnly(value)])
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const taken = new Set(ids.map(([key]) => key));
  for (const [key, raw] of Object.entries(call.data.customData ?? {})) {
    const value = scalarText(raw);
    if (taken.has(key) || value === undefined || !ALNUM.test(key) || !ALNUM.test(value)) continue;
    const next = `${header},${key}=${value}`;
    if (Buffer.byteLength(next) > EXTRA_HEADERS_MAX_BYTES) continue;
    header = next;
    taken.add(key);
  }
  return header;
}

/**
 * The campaign's websocket URL with the call's ids and its customData (as JSON) as query parameters, so the
 * bot gets the contact's data in full whatever characters it holds. customData is left out when the URL
 * would grow past STREAM_URL_MAX_BYTES.
 */
export function streamUrl(wssUrl: string, call: CallRequested): string {
  const { campaignId, contactId, callId, customData } = call.data;
  const url = new URL(wssUrl);
  url.searchParams.set('campaignId', campaignId);
  url.searchParams.set('contactId', contactId);
  url.searchParams.set('callId', callId);
  if (customData && Object.keys(customData).length > 0) {
    const withData = new URL(url.href);
    withData.searchParams.set('customData', JSON.stringify(customData));
    if (Buffer.byteLength(withData.href) <= STREAM_URL_MAX_BYTES) return withData.href;
  }
  return url.href;
}

function alnumOnly(value: string): string {
  return value.replace(/[^A-Za-z0-9]/g, '');
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

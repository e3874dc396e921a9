import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CallRequested } from '@contracts/calls/events';
import { DEFAULT_CAMPAIGN_SETTINGS } from '@contracts/campaigns/settings';
import { CampaignRuntime } from '@contracts/dialing/runtime';
import { answerXml } from './answer-xml';
import { EXTRA_HEADERS_MAX_BYTES, extraHeaders, STREAM_URL_MAX_BYTES, streamUrl } from './stream-parameters';

// Plivo's <Stream> attributes and their allowed values (docs: voice/xml/audiostream).
const STREAM_ATTRIBUTES = ['bidirectional', 'audioTrack', 'streamTimeout', 'statusCallbackUrl', 'statusCallbackMethod', 'contentType', 'extraHeaders', 'keepCallAlive'];
const CONTENT_TYPES = ['audio/x-l16;rate=8000', 'audio/x-l16;rate=16000', 'audio/x-mulaw;rate=8000'];
const EXTRA_HEADERS_SHAPE = /^[A-Za-z0-9]+=[A-Za-z0-9]+(,[A-Za-z0-9]+=[A-Za-z0-9]+)*$/;

const campaignId = '6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f';
const contactId = 'a1b2c3d4e5f60718293a4b5c';
const campaign: CampaignRuntime = {
  campaignId,
  clientId: 'client-1',
  status: 'running',
  fromNumber: '+14155550100',
  wssUrl: 'wss://bot.example.com/stream?tenant=acme',
  agentId: 'agent-7',
  settings: DEFAULT_CAMPAIGN_SETTINGS,
  revision: 3,
};
const call = (customData?: Record<string, unknown>): CallRequested => ({
  id: 'x',
  type: 'CallRequested',
  version: 1,
  occurredAt: '2026-11-20T10:00:00.000Z',
  data: { callId: `${contactId}-a2`, campaignId, contactId, attempt: 2, clientId: 'client-1', from: '+1', to: '+2', requestedAt: '2026-11-20T10:00:00.000Z', ...(customData ? { customData } : {}) },
  metadata: { aggregateId: contactId, campaignId, clientId: 'client-1', correlationId: 'c' },
});

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false });
function parse(xml: string) {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml);
  expect(Object.keys(doc).filter((k) => k !== '?xml')).toEqual(['Response']);
  return doc.Response as Record<string, any>;
}
function streamOf(xml: string): { url: string; attributes: Record<string, string> } {
  const response = parse(xml);
  expect(Object.keys(response)).toEqual(['Stream']);
  const { '#text': url, ...attributes } = response.Stream;
  return { url, attributes };
}

describe('answer XML against Plivo element and attribute names', () => {
  it('is a Response with one bidirectional Stream that keeps the call alive, using only Plivo Stream attributes', () => {
    const { url, attributes } = streamOf(answerXml(campaign, call({ plan: 'gold' })));
    for (const name of Object.keys(attributes)) expect(STREAM_ATTRIBUTES).toContain(name);
    expect(attributes).toMatchObject({ bidirectional: 'true', keepCallAlive: 'true' });
    expect(CONTENT_TYPES).toContain(attributes.contentType);
    // bidirectional streams allow only the inbound track (the default)
    if (attributes.audioTrack !== undefined) expect(attributes.audioTrack).toBe('inbound');
    expect(new URL(url).protocol).toBe('wss:');
  });

  it('passes the call ids in extraHeaders, letters and digits only', () => {
    const { attributes } = streamOf(answerXml(campaign, call()));
    expect(attributes.extraHeaders).toMatch(EXTRA_HEADERS_SHAPE);
    expect(attributes.extraHeaders).toBe(`campaignId=${campaignId.replace(/-/g, '')},contactId=${contactId},callId=${contactId}a2,attempt=2,agentId=agent7`);
  });

  it('keeps the stream URL and adds the ids and the whole customData as query parameters', () => {
    const customData = { name: 'Zoë O\'Brien, VIP', plan: 'gold', score: 7, tags: ['a', 'b'], note: 'a=b&c<d>' };
    const { url } = streamOf(answerXml(campaign, call(customData)));
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe('wss://bot.example.com/stream');
    expect(parsed.searchParams.get('tenant')).toBe('acme');
    expect(parsed.searchParams.get('campaignId')).toBe(campaignId);
    expect(parsed.searchParams.get('callId')).toBe(`${contactId}-a2`);
    expect(JSON.parse(parsed.searchParams.get('customData')!)).toEqual(customData);
  });

  it('puts in extraHeaders only the customData entries Plivo allows, and only while they fit in 512 bytes', () => {
    const customData = { plan: 'gold', 'first name': 'Ann', city: 'São Paulo', score: 7, vip: true, nested: { a: 1 }, campaignId: 'spoof' };
    const header = extraHeaders(call(customData), campaign);
    expect(header).toMatch(EXTRA_HEADERS_SHAPE);
    expect(header.endsWith(',plan=gold,score=7,vip=true')).toBe(true);

    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`key${i}`, 'v'.repeat(20)]));
    const long = extraHeaders(call(many), campaign);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(EXTRA_HEADERS_MAX_BYTES);
    expect(Buffer.byteLength(long)).toBeGreaterThan(EXTRA_HEADERS_MAX_BYTES - 40);
    expect(long).toMatch(EXTRA_HEADERS_SHAPE);
    expect(long).toContain('campaignId=');
  });

  it('stays valid for arbitrary custom data', () => {
    const nasty = ['', ' ', ',', '=', '"', "'", '<', '&amp;', '\u0000', '😀', 'x'.repeat(600), 'ü,ö=ä'];
    for (const [i, value] of nasty.entries()) {
      const xml = answerXml(campaign, call({ [`k${i}`]: value, [value || 'empty']: 'v' }));
      const { url, attributes } = streamOf(xml);
      expect(attributes.extraHeaders).toMatch(EXTRA_HEADERS_SHAPE);
      expect(Buffer.byteLength(attributes.extraHeaders)).toBeLessThanOrEqual(EXTRA_HEADERS_MAX_BYTES);
      expect(Buffer.byteLength(url)).toBeLessThanOrEqual(STREAM_URL_MAX_BYTES);
    }
  });

  it('leaves customData out of the stream URL when it would make the URL too long', () => {
    const url = new URL(streamUrl(campaign.wssUrl!, call({ essay: 'x'.repeat(3000) })));
    expect(url.searchParams.get('customData')).toBeNull();
    expect(url.searchParams.get('callId')).toBe(`${contactId}-a2`);
  });

  it('redirects to the campaign answer URL with a Redirect element', () => {
    const xml = answerXml({ ...campaign, wssUrl: undefined, answerUrl: 'https://crm.example.com/answer?x=1&y=2' }, call());
    const response = parse(xml);
    expect(Object.keys(response)).toEqual(['Redirect']);
    const { '#text': url, ...attributes } = response.Redirect;
    expect(url).toBe('https://crm.example.com/answer?x=1&y=2');
    expect(Object.keys(attributes)).toEqual(['method']);
    expect(attributes.method).toBe('POST');
  });

  it('hangs up an unknown call as rejected', () => {
    const response = parse(answerXml(undefined, call()));
    expect(response).toEqual({ Hangup: { reason: 'rejected' } });
    expect(parse(answerXml(campaign, undefined))).toEqual({ Hangup: { reason: 'rejected' } });
  });
});

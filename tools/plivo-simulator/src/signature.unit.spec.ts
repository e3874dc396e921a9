import { execFileSync } from 'node:child_process';
import * as plivo from 'plivo';
import { newNonce, signatureHeaders, signV2, signV3, SignedParams } from './signature';

const TOKEN = 'simulated-auth-token';

const PARAMS: SignedParams = {
  CallUUID: 'c0a8e3f2-1111-4222-8333-944455556666',
  RequestUUID: 'r0a8e3f2-1111-4222-8333-944455556666',
  From: '+14155550100',
  To: '14155550199',
  Direction: 'outbound',
  CallStatus: 'in-progress',
  Event: 'StartApp',
  Note: 'a b&c=d+é',
};

const URLS = [
  'http://localhost:3000/webhooks/plivo/answer',
  'https://calls.example.com/webhooks/answer/',
  'https://calls.example.com',
  'http://127.0.0.1:41234/hook?contactId=42&campaignId=abc',
  'http://h.example/a/b?y=%20sp+ace',
  'http://h.example/answer.xml?z=1',
  'http://h.example/p@th/seg?q=1',
  'http://h.example/ünïcode?name=José',
  'http://h.example/x#fragment',
];

function validV3(method: 'GET' | 'POST', url: string, nonce: string, sig: string, params: SignedParams) {
  return Boolean(plivo.validateV3Signature(method, url, nonce, TOKEN, sig, params));
}

describe('signV3', () => {
  it.each(URLS)('POST to %s is accepted by the plivo SDK validator', (url) => {
    const nonce = newNonce();
    expect(validV3('POST', url, nonce, signV3('POST', url, PARAMS, nonce, TOKEN), PARAMS)).toBe(true);
  });

  it.each(URLS)('GET to %s (params in the query string) is accepted', (url) => {
    const nonce = newNonce();
    const signature = signV3('GET', url, PARAMS, nonce, TOKEN);
    expect(validV3('GET', url, nonce, signature, PARAMS)).toBe(true);
    // As a receiver sees it: one URL with our parameters appended, no separate params.
    const sep = url.includes('?') ? '&' : '?';
    const noFragment = url.split('#')[0];
    const requested = `${noFragment}${sep}${new URLSearchParams(PARAMS as Record<string, string>)}`;
    expect(validV3('GET', requested, nonce, signature, {})).toBe(true);
  });

  // Under jest the SDK's `instanceof Array` fails for arrays made by node's own
  // querystring (another realm), so URLs with a repeated query key are checked in
  // a plain node process, where the validator behaves as in production.
  it('signs URLs with a repeated query key (checked outside the jest realm)', () => {
    const url = 'http://h.example/a/b?x=2&x=1&y=%20sp+ace';
    const nonce = newNonce();
    const cases = (['POST', 'GET'] as const).map((method) => [method, url, nonce, signV3(method, url, PARAMS, nonce, TOKEN)]);
    const script = `const plivo = require(${JSON.stringify(require.resolve('plivo'))});
      const [cases, token, params] = JSON.parse(process.argv[1]);
      process.stdout.write(JSON.stringify(cases.map(([m, u, n, s]) => plivo.validateV3Signature(m, u, n, token, s, params))));`;
    const out = execFileSync(process.execPath, ['-e', script, JSON.stringify([cases, TOKEN, PARAMS])], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, true]);
  });

  it('signs a POST without parameters', () => {
    const url = URLS[3];
    const nonce = newNonce();
    expect(validV3('POST', url, nonce, signV3('POST', url, {}, nonce, TOKEN), {})).toBe(true);
  });

  it('signs repeated parameters given as arrays', () => {
    const params = { Digits: ['9', '1'], From: '1' };
    const nonce = newNonce();
    expect(validV3('POST', URLS[0], nonce, signV3('POST', URLS[0], params, nonce, TOKEN), params)).toBe(true);
  });

  it('is rejected when the URL, a parameter, the nonce or the token differs', () => {
    const url = URLS[3];
    const nonce = newNonce();
    const signature = signV3('POST', url, PARAMS, nonce, TOKEN);
    expect(validV3('POST', url.replace('contactId=42', 'contactId=43'), nonce, signature, PARAMS)).toBe(false);
    expect(validV3('POST', url.replace('/hook', '/hook2'), nonce, signature, PARAMS)).toBe(false);
    expect(validV3('POST', url, nonce, signature, { ...PARAMS, CallStatus: 'completed' })).toBe(false);
    expect(validV3('POST', url, nonce, signature, { ...PARAMS, Extra: 'x' })).toBe(false);
    expect(validV3('POST', url, `${nonce}1`, signature, PARAMS)).toBe(false);
    expect(plivo.validateV3Signature('POST', url, nonce, 'other-token', signature, PARAMS)).toBe(false);
    expect(validV3('GET', url, nonce, signature, PARAMS)).toBe(false);
  });
});

describe('signV2', () => {
  it('is accepted by the SDK V2 validator and ignores the query string', () => {
    const nonce = newNonce();
    const signature = signV2(URLS[3], nonce, TOKEN);
    expect(plivo.validateSignature(URLS[3], nonce, signature, TOKEN)).toBe(true);
    expect(plivo.validateSignature(URLS[3].replace('/hook', '/x'), nonce, signature, TOKEN)).toBe(false);
  });
});

describe('signatureHeaders', () => {
  it('uses one nonce for both header pairs', () => {
    const headers = signatureHeaders('POST', URLS[0], PARAMS, TOKEN, '12345678901234567890');
    expect(headers['X-Plivo-Signature-V3-Nonce']).toBe('12345678901234567890');
    expect(headers['X-Plivo-Signature-V2-Nonce']).toBe('12345678901234567890');
    expect(validV3('POST', URLS[0], '12345678901234567890', headers['X-Plivo-Signature-V3'], PARAMS)).toBe(true);
  });

  it('draws 20-digit nonces', () => {
    expect(newNonce()).toMatch(/^[1-9]\d{19}$/);
  });
});

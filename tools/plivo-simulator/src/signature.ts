// Plivo webhook signatures, written as the exact inverse of the plivo SDK's
// validators (node_modules/plivo/dist/utils/v3Security.js and security.js), so
// that `validateV3Signature` / `validateSignature` accept what we send.
import { createHmac, randomInt } from 'node:crypto';
import { parse as parseQuery } from 'node:querystring';

export type SignedParams = Record<string, string | string[]>;

interface UriParts {
  protocol: string;
  host: string;
  port: string;
  path: string;
  query: string;
}

// The SDK runs every URI through the `utf8` package (UTF-16 -> UTF-8 bytes held
// as a binary string) before parsing it; HMAC then re-encodes that string as UTF-8.
// Doing the same keeps non-ASCII URLs byte-for-byte identical to the validator.
function utf8Encode(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

// The "loose" URI regex of `uri-parser` (parseUri 1.2.2), which the SDK uses to
// split the URL; reusing it keeps odd URLs (an "@" in the path, say) identical.
const LOOSE_URI =
  /^(?:(?![^:@]+:[^:@/]*@)([^:/?#.]+):)?(?:\/\/)?((?:(([^:@]*)(?::([^:@]*))?)?@)?([^:/?#]*)(?::(\d*))?)(((\/(?:[^?#](?![^?#/]*\.[^?#/.]+(?:[?#]|$)))*\/?)?([^?#/]*))(?:\?([^#]*))?(?:#(.*))?)/;

function splitUri(uri: string): UriParts {
  const m = LOOSE_URI.exec(uri) ?? [];
  return { protocol: m[1] ?? '', host: m[6] ?? '', port: m[7] ?? '', path: m[9] ?? '', query: m[12] ?? '' };
}

// protocol://host[:port] + path, as `build-url` assembles it in the SDK.
function baseUrlOf(parts: UriParts): string {
  let base = `${parts.protocol === '' ? 'http' : parts.protocol}://${parts.host}`;
  if (parts.port !== '') base += `:${parts.port}`;
  if (base.endsWith('/')) base = base.slice(0, -1);
  const path = parts.path.trim();
  if (path) base += path.startsWith('/') ? path : `/${path}`;
  return base;
}

function toMultiMap(params: Record<string, unknown>): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  for (const key of Object.keys(params)) {
    const value = params[key];
    map[key] = Array.isArray(value) ? value.map(String) : [String(value)];
  }
  return map;
}

function sortedQueryString(map: Record<string, string[]>): string {
  const pairs: string[] = [];
  for (const key of Object.keys(map).sort()) {
    for (const value of [...map[key]].sort()) pairs.push(`${key}=${value}`);
  }
  return pairs.join('&');
}

function sortedParamsString(map: Record<string, string[]>): string {
  let out = '';
  for (const key of Object.keys(map).sort()) {
    for (const value of [...map[key]].sort()) out += key + value;
  }
  return out;
}

/** The string the SDK's V3 validator HMACs, before the nonce is appended. */
export function v3BaseString(method: 'GET' | 'POST', url: string, params: SignedParams): string {
  const parts = splitUri(utf8Encode(url));
  const queryMap = toMultiMap(parseQuery(parts.query) as Record<string, unknown>);
  if (method === 'GET') {
    const merged = { ...queryMap };
    for (const [key, values] of Object.entries(toMultiMap(params))) {
      merged[key] = (merged[key] ?? []).concat(values);
    }
    const query = sortedQueryString(merged);
    return query ? `${baseUrlOf(parts)}?${query}` : baseUrlOf(parts);
  }
  const hasParams = Object.keys(params).length > 0;
  const query = sortedQueryString(queryMap);
  let base = baseUrlOf(parts);
  if (query || hasParams) base += `?${query}`;
  if (query && hasParams) base += '.';
  return base + sortedParamsString(toMultiMap(params));
}

function hmacBase64(authToken: string, data: string): string {
  return createHmac('sha256', utf8Encode(authToken)).update(data).digest('base64');
}

/**
 * X-Plivo-Signature-V3 for a request to `url` with `params` (the form body for
 * POST; for GET, the parameters that will be appended to the query string).
 */
export function signV3(
  method: 'GET' | 'POST',
  url: string,
  params: SignedParams,
  nonce: string,
  authToken: string,
): string {
  return hmacBase64(authToken, `${v3BaseString(method, url, params)}.${utf8Encode(nonce)}`);
}

/** X-Plivo-Signature-V2: URL without query string, followed by the nonce. */
export function signV2(url: string, nonce: string, authToken: string): string {
  return hmacBase64(authToken, baseUrlOf(splitUri(utf8Encode(url))) + utf8Encode(nonce));
}

/** A numeric nonce of 20 digits, like the ones Plivo sends. */
export function newNonce(): string {
  let nonce = String(randomInt(1, 10));
  while (nonce.length < 20) nonce += String(randomInt(0, 10));
  return nonce;
}

/** The signature headers for one webhook request. */
export function signatureHeaders(
  method: 'GET' | 'POST',
  url: string,
  params: SignedParams,
  authToken: string,
  nonce: string = newNonce(),
): Record<string, string> {
  return {
    'X-Plivo-Signature-V3': signV3(method, url, params, nonce, authToken),
    'X-Plivo-Signature-V3-Nonce': nonce,
    'X-Plivo-Signature-V2': signV2(url, nonce, authToken),
    'X-Plivo-Signature-V2-Nonce': nonce,
  };
}

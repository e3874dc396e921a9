// Sends webhooks the way Plivo does (form-encoded POST, V3 signature headers), signed with the
// simulator's signer, which its unit tests check against the plivo SDK's validator.
import { newNonce, signV3 } from '../../../tools/plivo-simulator/src/signature';

export interface WebhookOptions {
  /** The URL the signature covers (default: the URL requested). */
  signedUrl?: string;
  /** The params the signature covers (default: the params sent). */
  signedParams?: Record<string, string>;
  token?: string;
  nonce?: string;
  /** Header for the signature: V3 (default), Ma-V3, or none. */
  header?: 'v3' | 'ma-v3' | 'none';
  /** Replaces the signature header's value (e.g. several comma-separated signatures). */
  signatureValue?: (signature: string) => string;
  omitNonce?: boolean;
}

export interface WebhookResponse {
  status: number;
  body: string;
  contentType: string | null;
}

export function signedHeaders(url: string, params: Record<string, string>, token: string, options: WebhookOptions = {}): Record<string, string> {
  const nonce = options.nonce ?? newNonce();
  const signature = signV3('POST', options.signedUrl ?? url, options.signedParams ?? params, nonce, token);
  const value = options.signatureValue ? options.signatureValue(signature) : signature;
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const header = options.header ?? 'v3';
  if (header === 'v3') headers['X-Plivo-Signature-V3'] = value;
  if (header === 'ma-v3') headers['X-Plivo-Signature-Ma-V3'] = value;
  if (!options.omitNonce) headers['X-Plivo-Signature-V3-Nonce'] = nonce;
  return headers;
}

/** POSTs a webhook to `url`, signed (by default) over that same URL and params with `token`. */
export async function postWebhook(url: string, params: Record<string, string>, token: string, options: WebhookOptions = {}): Promise<WebhookResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: signedHeaders(url, params, options.token ?? token, options),
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text(), contentType: response.headers.get('content-type') };
}

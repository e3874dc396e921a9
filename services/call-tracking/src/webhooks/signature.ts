import { validateV3Signature } from 'plivo';

export interface SignedRequest {
  method: string;
  /** The URL as Plivo called it: public base URL + path + query string. */
  url: string;
  /** The form body of a POST ({} for GET: the SDK reads GET parameters from the URL's query). */
  params: Record<string, string | string[]>;
  /** X-Plivo-Signature-V3: signed with the auth token of the account (or subaccount) that owns the call. */
  signature?: string;
  /** X-Plivo-Signature-Ma-V3: always signed with the main account's auth token. */
  mainAccountSignature?: string;
  /** X-Plivo-Signature-V3-Nonce, shared by both signatures. */
  nonce?: string;
}

export interface SignatureTokens {
  authToken: string;
  /** The main account's token, when calls are placed with a subaccount; defaults to authToken. */
  mainAuthToken?: string;
}

export type SignatureCheck = { ok: true; header: 'v3' | 'ma-v3' } | { ok: false; reason: 'missing' | 'mismatch' };

/**
 * Plivo signature V3, checked with the plivo SDK's own validator: base64 HMAC-SHA256 over
 * `<url with its query params sorted>.<POST params sorted, key+value concatenated>.<nonce>`. A header may
 * carry several comma-separated signatures (the SDK accepts any one of them). V3 carries no timestamp, so
 * a request's age cannot be judged; replays are harmless instead (see docs/plivo.md).
 */
export function checkSignature(req: SignedRequest, tokens: SignatureTokens): SignatureCheck {
  if (!req.nonce || (!req.signature && !req.mainAccountSignature)) return { ok: false, reason: 'missing' };
  if (req.signature && validates(req, req.signature, tokens.authToken)) return { ok: true, header: 'v3' };
  if (req.mainAccountSignature && validates(req, req.mainAccountSignature, tokens.mainAuthToken ?? tokens.authToken)) {
    return { ok: true, header: 'ma-v3' };
  }
  return { ok: false, reason: 'mismatch' };
}

function validates(req: SignedRequest, signature: string, token: string): boolean {
  try {
    return validateV3Signature(req.method.toUpperCase(), req.url, req.nonce!, token, signature, req.params) === true;
  } catch {
    // The SDK throws for methods other than GET and POST.
    return false;
  }
}

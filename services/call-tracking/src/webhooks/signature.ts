import { validateV3Signature } from 'plivo';

export interface SignedRequest {
  method: string;
  /** The URL as Plivo called it: public base URL + path + query string. */
  url: string;
  params: Record<string, string | string[]>;
  signature?: string;
  nonce?: string;
}

/** Plivo signature V3 (X-Plivo-Signature-V3 / -Nonce), checked with the plivo SDK's own validator. */
export function hasValidSignature(req: SignedRequest, authToken: string): boolean {
  if (!req.signature || !req.nonce) return false;
  try {
    return validateV3Signature(req.method.toUpperCase(), req.url, req.nonce, authToken, req.signature, req.params) === true;
  } catch {
    return false;
  }
}

/** What the dialer asks Plivo's Call API for (names as in Plivo's API). */
export interface PlivoCallRequest {
  from: string;
  to: string;
  answer_url: string;
  answer_method: 'POST';
  ring_url: string;
  hangup_url: string;
  machine_detection?: 'true' | 'hangup';
  machine_detection_url?: string;
  ring_timeout?: number;
  time_limit?: number;
}

/** Plivo answered the Call API request with an error status. */
export class PlivoApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** From a Retry-After header, when Plivo sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'PlivoApiError';
  }
}

/** No answer from Plivo; `sent` tells whether the request may have reached it (see classifyRequestFailure). */
export class PlivoTransportError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly sent: boolean,
  ) {
    super(message);
    this.name = 'PlivoTransportError';
  }
}

/** Connection failures that happen before a byte of the request leaves: the call cannot have been placed. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const isTlsSetupError = (code: string) => /^(ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code);

/**
 * Plivo's Call API over plain HTTP, so that `PLIVO_API_URL` can point the same code at a
 * Plivo-compatible server (the SDK's calls.create always posts to api.plivo.com).
 */
export class PlivoCallsClient {
  constructor(
    private readonly baseUrl: string,
    private readonly authId: string,
    private readonly authToken: string,
    private readonly timeoutMs = 10_000,
  ) {}

  async createCall(request: PlivoCallRequest): Promise<{ requestUuid: string }> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/v1/Account/${encodeURIComponent(this.authId)}/Call/`;
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Basic ${Buffer.from(`${this.authId}:${this.authToken}`).toString('base64')}`,
        },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw transportError(e);
    }
    let body: { request_uuid?: string | string[]; error?: unknown; message?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Plivo answers JSON; anything else is reported as it came.
    }
    if (!res.ok) {
      throw new PlivoApiError(res.status, `Plivo ${res.status}: ${String(body.error ?? body.message ?? text).slice(0, 200)}`, retryAfterMs(res.headers.get('retry-after')));
    }
    const requestUuid = Array.isArray(body.request_uuid) ? body.request_uuid[0] : body.request_uuid;
    // Accepted (2xx) but unreadable: the call may well have been placed.
    if (!requestUuid) throw new PlivoTransportError(`Plivo answered ${res.status} without request_uuid`, undefined, true);
    return { requestUuid };
  }
}

function transportError(e: unknown): PlivoTransportError {
  const err = e as Error & { cause?: { code?: string; errors?: { code?: string }[] } };
  if (err?.name === 'TimeoutError') return new PlivoTransportError('no answer from Plivo in time', 'TIMEOUT', true);
  const codes = err?.cause?.code ? [err.cause.code] : (err?.cause?.errors ?? []).map((c) => c.code ?? '');
  const sent = codes.length === 0 || !codes.every((c) => NOT_SENT_CODES.has(c) || isTlsSetupError(c));
  return new PlivoTransportError(`${err?.message ?? String(e)}${codes.length ? ` (${codes.join(', ')})` : ''}`, codes[0], sent);
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

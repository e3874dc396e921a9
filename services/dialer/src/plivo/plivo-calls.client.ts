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

export class PlivoApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'PlivoApiError';
  }
  /** 429 and 5xx are worth another try; other 4xx (invalid number, bad request) are final. */
  get retryable(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

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
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${this.authId}:${this.authToken}`).toString('base64')}`,
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    let body: { request_uuid?: string | string[]; error?: unknown; message?: string } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // Plivo answers JSON; anything else is reported as it came.
    }
    if (!res.ok) throw new PlivoApiError(res.status, `Plivo ${res.status}: ${String(body.error ?? body.message ?? text).slice(0, 200)}`);
    const requestUuid = Array.isArray(body.request_uuid) ? body.request_uuid[0] : body.request_uuid;
    if (!requestUuid) throw new PlivoApiError(502, 'Plivo answered without request_uuid');
    return { requestUuid };
  }
}

import http from 'node:http';
import https from 'node:https';

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

/**
 * How long a kept-alive connection may sit idle before the client closes it. A request written just as
 * the server closes an idle connection meets a reset, an unknown outcome that holds the attempt's slots
 * until the call timeout; so the client closes first. Node's agent honours a server's
 * `Keep-Alive: timeout=N` (closing a second early) only when this is set, and takes the shorter of the two.
 */
const IDLE_CONNECTION_MS = 4_000;

/** What came back from Plivo: status, `Retry-After` and the body as text. */
interface PlivoResponse {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

/**
 * Plivo's Call API over plain HTTP(S) with kept-alive connections, so that `PLIVO_API_URL` can point
 * the same code at a Plivo-compatible server (the SDK's calls.create always posts to api.plivo.com).
 */
export class PlivoCallsClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly baseUrl: string,
    private readonly authId: string,
    private readonly authToken: string,
    private readonly timeoutMs = 10_000,
  ) {
    const options = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
    this.agent = baseUrl.startsWith('https:') ? new https.Agent(options) : new http.Agent(options);
  }

  async createCall(request: PlivoCallRequest): Promise<{ requestUuid: string }> {
    const url = `${this.baseUrl.replace(/\/$/, '')}/v1/Account/${encodeURIComponent(this.authId)}/Call/`;
    const res = await this.post(url, JSON.stringify(request));
    let body: { request_uuid?: string | string[]; error?: unknown; message?: string } = {};
    try {
      body = JSON.parse(res.text);
    } catch {
      // Plivo answers JSON; anything else is reported as it came.
    }
    if (res.status < 200 || res.status > 299) {
      throw new PlivoApiError(res.status, `Plivo ${res.status}: ${String(body.error ?? body.message ?? res.text).slice(0, 200)}`, retryAfterMs(res.retryAfter ?? null));
    }
    const requestUuid = Array.isArray(body.request_uuid) ? body.request_uuid[0] : body.request_uuid;
    // Accepted (2xx) but unreadable: the call may well have been placed.
    if (!requestUuid) throw new PlivoTransportError(`Plivo answered ${res.status} without request_uuid`, undefined, true);
    return { requestUuid };
  }

  /**
   * One POST. A failure is a PlivoTransportError whose `sent` says whether the request may have left:
   * not before the connection (and its TLS handshake) was up, since nothing can be written before, and
   * always once it was (a kept-alive connection is up from the start).
   */
  private post(url: string, body: string): Promise<PlivoResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      let connected = false;
      const request = (secure ? https : http).request(target, {
        method: 'POST',
        agent: this.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Basic ${Buffer.from(`${this.authId}:${this.authToken}`).toString('base64')}`,
        },
      });
      const fail = (error: Error & { code?: string }) => {
        clearTimeout(timer);
        reject(new PlivoTransportError(error.message, error.code, connected));
      };
      const timer = setTimeout(() => {
        const message = connected ? 'no answer from Plivo in time' : 'no connection to Plivo in time';
        request.destroy(Object.assign(new Error(message), { code: connected ? 'TIMEOUT' : 'CONNECT_TIMEOUT' }));
      }, this.timeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) connected = true;
        else socket.once(secure ? 'secureConnect' : 'connect', () => (connected = true));
      });
      request.on('error', fail);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const retryAfter = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter, text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      request.end(body);
    });
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

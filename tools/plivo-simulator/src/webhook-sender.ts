// Delivers signed webhooks. Every delivery goes through `send` and its DeliveryPolicy
// (a hook for tests; the configurable chaos knobs live in simulated-call.ts and chaos.ts,
// since reordering and dropping need to know the call's other webhooks).
import type { Logger } from 'pino';
import { signatureHeaders } from './signature';
import { HttpMethod, WebhookDelivery, WebhookKind } from './types';
import { sendWebhook } from './webhook-http';

export const RESPONSE_BODY_LIMIT = 4096;

export interface WebhookRequest {
  kind: WebhookKind;
  method: HttpMethod;
  url: string;
  params: Record<string, string>;
}

export interface StartedDelivery {
  /** Recorded as soon as the request leaves; status and body are filled in on completion. */
  delivery: WebhookDelivery;
  done: Promise<WebhookDelivery>;
}

type SendOnce = (request: WebhookRequest, sentAt: number) => StartedDelivery;

/** Decides how a webhook is actually delivered; the default sends it once, now. */
export type DeliveryPolicy = (request: WebhookRequest, sentAt: number, sendOnce: SendOnce) => StartedDelivery;

export const deliverOnce: DeliveryPolicy = (request, sentAt, sendOnce) => sendOnce(request, sentAt);

export interface WebhookSenderOptions {
  authToken: () => string;
  timeoutMs: () => number;
  /** Aborted when the simulator shuts down. */
  shutdown: AbortSignal;
  logger: Logger;
  policy?: DeliveryPolicy;
  now?: () => number;
}

/** The URL as it goes on the wire (WHATWG-normalised, no fragment), GET parameters appended. */
export function requestUrl(method: HttpMethod, url: string, params: Record<string, string>): string {
  const target = new URL(url);
  target.hash = '';
  if (method === 'GET') {
    for (const [key, value] of Object.entries(params)) target.searchParams.append(key, value);
  }
  return target.href;
}

export class WebhookSender {
  private readonly policy: DeliveryPolicy;
  private readonly now: () => number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.policy = options.policy ?? deliverOnce;
    this.now = options.now ?? Date.now;
  }

  send(request: WebhookRequest, sentAt: number = this.now()): StartedDelivery {
    return this.policy(request, sentAt, (req, at) => this.sendOnce(req, at));
  }

  private sendOnce(request: WebhookRequest, sentAt: number): StartedDelivery {
    const { method, params } = request;
    let url: string;
    try {
      url = requestUrl(method, request.url, params);
    } catch {
      url = request.url;
    }
    const delivery: WebhookDelivery = {
      kind: request.kind,
      method,
      url,
      params,
      sentAt,
      status: null,
      latencyMs: 0,
      responseBody: '',
    };
    return { delivery, done: this.perform(delivery) };
  }

  private async perform(delivery: WebhookDelivery): Promise<WebhookDelivery> {
    const { method, url, params } = delivery;
    const started = this.now();
    try {
      const body = method === 'POST' ? new URLSearchParams(params).toString() : undefined;
      const headers: Record<string, string> = {
        ...signatureHeaders(method, url, method === 'POST' ? params : {}, this.options.authToken()),
        'User-Agent': 'PlivoSimulator/1.0',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const response = await sendWebhook(url, {
        method,
        headers,
        body,
        timeoutMs: this.options.timeoutMs(),
        signal: this.options.shutdown,
        bodyLimit: RESPONSE_BODY_LIMIT,
      });
      delivery.status = response.status;
      delivery.responseBody = response.body;
    } catch (error) {
      delivery.error = describeError(error);
    }
    delivery.latencyMs = this.now() - started;
    this.options.logger.debug(
      { kind: delivery.kind, url, status: delivery.status, error: delivery.error, latencyMs: delivery.latencyMs },
      'webhook delivered',
    );
    return delivery;
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    return `${error.name}: ${error.message}${detail}`;
  }
  return String(error);
}

export function isSuccess(delivery: WebhookDelivery): boolean {
  return delivery.status !== null && delivery.status >= 200 && delivery.status < 300;
}

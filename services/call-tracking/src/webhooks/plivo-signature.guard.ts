import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Logger } from 'pino';
import { CONFIG, LOGGER } from '@libs/nest/tokens';
import { TrackingConfig } from '../config';
import { TrackingMetrics } from '../metrics/tracking-metrics';
import { checkSignature } from './signature';

/**
 * Lets a webhook through only with a valid Plivo V3 signature (X-Plivo-Signature-V3, or -Ma-V3 for the
 * main account) over the URL Plivo called: PUBLIC_BASE_URL (scheme, host, port and path prefix, as Plivo
 * saw them) + the path and query this service received. Otherwise 403, before any handler runs.
 */
@Injectable()
export class PlivoSignatureGuard implements CanActivate {
  private readonly publicBase: string;

  constructor(
    @Inject(CONFIG) private readonly config: TrackingConfig,
    @Inject(LOGGER) private readonly log: Logger,
    private readonly metrics: TrackingMetrics,
  ) {
    // The same string the dialer builds the webhook URLs from (services/dialer webhook-urls.ts), so the URL
    // checked is the URL Plivo was given, byte for byte (no port or case normalisation).
    this.publicBase = config.PUBLIC_BASE_URL.replace(/\/$/, '');
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const result = checkSignature(
      {
        method: req.method,
        url: `${this.publicBase}${req.originalUrl}`,
        params: req.method === 'POST' && isPlainObject(req.body) ? req.body : {},
        signature: header(req, 'x-plivo-signature-v3'),
        mainAccountSignature: header(req, 'x-plivo-signature-ma-v3'),
        nonce: header(req, 'x-plivo-signature-v3-nonce'),
      },
      { authToken: this.config.PLIVO_AUTH_TOKEN, mainAuthToken: this.config.PLIVO_MAIN_AUTH_TOKEN },
    );
    if (result.ok) return true;
    this.metrics.signatureRejected(result.reason);
    this.log.warn({ path: req.originalUrl, reason: result.reason }, 'webhook refused: missing or invalid Plivo signature');
    throw new ForbiddenException(
      result.reason === 'missing'
        ? 'missing Plivo signature: X-Plivo-Signature-V3 (or -Ma-V3) and X-Plivo-Signature-V3-Nonce are required'
        : 'invalid Plivo signature',
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, string | string[]> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A request header's value (the first, if sent more than once). */
function header(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { Response } from 'express';
import { Logger } from 'pino';
import { rpcError } from '@libs/messaging/rpc-result';
import { LOGGER } from '@libs/nest/tokens';

/** Every error leaves as `{statusCode, error, message, details?}`. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly log: Logger) {}

  catch(exception: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.bodyOf(exception);
    if (body.statusCode >= 500) this.log.error({ err: exception }, 'request failed');
    res.status(body.statusCode).json(body);
  }

  private bodyOf(exception: unknown) {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      if (typeof response === 'object' && response && 'message' in response) {
        const r = response as { message: unknown; details?: unknown };
        const message = Array.isArray(r.message) ? r.message.join('; ') : String(r.message);
        return rpcError(status, message, r.details);
      }
      return rpcError(status, String(response));
    }
    // body-parser errors carry their HTTP status (413 too large, 400 malformed JSON).
    const parser = exception as { status?: number; type?: string; message?: string };
    if (parser?.type === 'entity.too.large') return rpcError(413, 'request body is too large');
    if (parser?.status && parser.status >= 400 && parser.status < 500) return rpcError(parser.status, parser.message ?? 'bad request');
    return rpcError(500, 'internal error');
  }
}

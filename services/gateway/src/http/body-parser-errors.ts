import { NextFunction, Request, Response } from 'express';
import { rpcError } from '@libs/messaging/rpc-result';

/**
 * Body-parser runs before Nest's routing, so its errors never reach the exception filter; this express
 * error handler gives them the API's error shape (413 for oversized bodies, 400 for malformed JSON).
 */
export function bodyParserErrors(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const e = err as { type?: string; status?: number; message?: string };
  if (!e || typeof e.status !== 'number') return next(err);
  const body =
    e.type === 'entity.too.large'
      ? rpcError(413, 'request body is too large')
      : rpcError(e.status, e.type === 'entity.parse.failed' ? `malformed JSON: ${e.message}` : (e.message ?? 'bad request'));
  res.status(body.statusCode).json(body);
}

import { createHash, randomUUID } from 'crypto';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Request } from 'express';
import { RequestContext } from '@contracts/commands';

export interface AuthenticatedRequest extends Request {
  clientId?: string;
}

/**
 * The caller's context for a command: the authenticated client, a correlation id (X-Correlation-Id or
 * new), and a command id that is stable for one Idempotency-Key, so a retried POST yields the same events.
 */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext => {
  const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
  const clientId = req.clientId ?? 'admin';
  const key = req.header('idempotency-key');
  const commandId = key
    ? createHash('sha256').update(`${clientId}|${req.method}|${req.path}|${key}`).digest('hex').slice(0, 32)
    : randomUUID();
  return { clientId, correlationId: req.header('x-correlation-id') ?? randomUUID(), commandId };
});

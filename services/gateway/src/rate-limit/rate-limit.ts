import { ThrottlerModuleOptions } from '@nestjs/throttler';
import { Request } from 'express';
import { bearerKey, hashOfKey } from '../auth/bearer-key';

/**
 * Requests are counted per API key (its hash; the client's IP address for a request without one), per
 * gateway instance: RATE_LIMIT_PER_MINUTE in any minute, and the next get 429 with Retry-After. Counted
 * before the key is checked, so a flood of bad keys is refused without reaching the campaigns service.
 */
export function rateLimitOptions(perMinute: number): ThrottlerModuleOptions {
  return {
    throttlers: [{ ttl: 60_000, limit: perMinute }],
    getTracker: (req: Record<string, unknown>) => trackerOf(req as unknown as Request),
  };
}

function trackerOf(req: Request): string {
  const key = bearerKey(req);
  return key ? `key:${hashOfKey(key)}` : `ip:${req.ip ?? 'unknown'}`;
}

import { createHash, timingSafeEqual } from 'crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CampaignsRpc } from '@contracts/commands';
import { CONFIG } from '@libs/nest/tokens';
import { GatewayConfig } from '../config';
import { AuthenticatedRequest } from '../http/request-context';
import { ServiceClient } from '../http/service-client';
import { bearerKey, hashOfKey } from './bearer-key';
import { ADMIN_ONLY, PUBLIC } from './roles';

const CACHE_MS = 30_000;

/**
 * `Authorization: Bearer <apiKey>`. Client keys are looked up by their SHA-256 hash (the only form
 * stored) and cached briefly; admin routes take ADMIN_API_KEY only (a client key gets 403 there, an
 * unknown or missing key 401).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly cache = new Map<string, { clientId: string; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    private readonly services: ServiceClient,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = bearerKey(req);
    if (!key) throw new UnauthorizedException('missing API key: send Authorization: Bearer <apiKey>');
    if (this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, targets)) {
      if (sameSecret(key, this.config.ADMIN_API_KEY)) return true;
      // A client's own key is known but not allowed here (403); any other key is unknown (401).
      await this.clientOf(key);
      throw new ForbiddenException('this route needs the admin API key');
    }
    req.clientId = await this.clientOf(key);
    return true;
  }

  private async clientOf(key: string): Promise<string> {
    const hash = hashOfKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.clientId;
    try {
      const { clientId } = await this.services.command<{ clientId: string }>('campaigns', CampaignsRpc.authenticate, { apiKeyHash: hash });
      this.cache.set(hash, { clientId, until: Date.now() + CACHE_MS });
      return clientId;
    } catch (e) {
      if ((e as { getStatus?: () => number }).getStatus?.() === 404) throw new UnauthorizedException('unknown API key');
      throw e;
    }
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { ServiceName } from '@contracts/subjects';
import { Public } from '../auth/roles';
import { ServiceClient } from '../http/service-client';

const SERVICES: ServiceName[] = ['campaigns', 'dialer', 'call-tracking', 'scheduler'];

@ApiTags('health')
// Probes and scrapers are never rate-limited.
@SkipThrottle()
@Controller('health')
export class HealthHttpController {
  constructor(private readonly services: ServiceClient) {}

  /** 200 once every service answers its health request; 503 naming the ones that do not. */
  @Public()
  @Get()
  async health() {
    const results = await Promise.all(SERVICES.map(async (s) => [s, await this.services.ping(s, 1_000)] as const));
    const services = Object.fromEntries(results.map(([s, ok]) => [s, ok ? 'up' : 'down']));
    const down = results.filter(([, ok]) => !ok).map(([s]) => s);
    if (down.length) throw new ServiceUnavailableException({ message: `not ready: ${down.join(', ')}`, details: services });
    return { status: 'ok', services };
  }
}

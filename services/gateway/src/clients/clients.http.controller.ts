import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CampaignsRpc, ClientView, RequestContext } from '@contracts/commands';
import { AdminOnly } from '../auth/roles';
import { Ctx } from '../http/request-context';
import { ServiceClient } from '../http/service-client';
import { CreateClientDto, UpdateClientDto } from './clients.dto';

@ApiTags('clients')
@ApiBearerAuth()
@AdminOnly()
@Controller('clients')
export class ClientsHttpController {
  constructor(private readonly services: ServiceClient) {}

  /** The response carries the client's API key; it is shown this once and stored only hashed. */
  @Post()
  create(@Body() body: CreateClientDto, @Ctx() ctx: RequestContext) {
    return this.services.command<ClientView & { apiKey: string }>('campaigns', CampaignsRpc.registerClient, { ...ctx, ...body });
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.services.command<ClientView>('campaigns', CampaignsRpc.getClient, { clientId: id });
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: UpdateClientDto, @Ctx() ctx: RequestContext) {
    return this.services.command<ClientView>('campaigns', CampaignsRpc.changeClientLimits, { ...ctx, clientId: id, ...body });
  }
}

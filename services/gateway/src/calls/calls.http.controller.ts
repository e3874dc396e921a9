import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { ActiveCallsResponse, CampaignsRpc, DialerRpc, RequestContext } from '@contracts/commands';
import { Ctx } from '../http/request-context';
import { ServiceClient } from '../http/service-client';

export class ActiveCallsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID('4') campaignId?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => value === 'true' || value === true) @IsBoolean() includeCalls?: boolean;
}

@ApiTags('calls')
@ApiBearerAuth()
@Controller('calls')
export class CallsHttpController {
  constructor(private readonly services: ServiceClient) {}

  /**
   * Live calls and utilisation of the global, client and campaign limits, from the dialers' slot ledger.
   * A `campaignId` must be one of the caller's campaigns (404 otherwise, as on every campaign route).
   */
  @Get('active')
  async active(@Query() query: ActiveCallsQueryDto, @Ctx() ctx: RequestContext) {
    if (query.campaignId) await this.services.command('campaigns', CampaignsRpc.getCampaign, { ...ctx, campaignId: query.campaignId, withStats: false });
    return this.services.query<ActiveCallsResponse>('dialer', DialerRpc.activeCalls, { ...ctx, ...query });
  }
}

import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AddContactsResponse, CallTrackingRpc, CampaignsRpc, RequestContext } from '@contracts/commands';
import { CONFIG } from '@libs/nest/tokens';
import { GatewayConfig } from '../config';
import { ImportChunk } from '../contacts-upload/chunked-import';
import { ContactUploads } from '../contacts-upload/contact-uploads';
import { CONTACTS_UPLOAD_BODY, UPLOAD_ANSWER } from '../contacts-upload/upload.dto';
import { chunkContext } from '../contacts-upload/chunk-context';
import { Ctx } from '../http/request-context';
import { ServiceClient } from '../http/service-client';
import { PageQueryDto } from '../http/page-query.dto';
import { CampaignPageQueryDto, ContactPageQueryDto, CreateCampaignDto, RetryCampaignDto, ScheduleCampaignDto, UpdateCampaignDto } from './campaigns.dto';

/** A malformed id cannot name a campaign: 404, like any unknown one. */
const CampaignId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new NotFoundException('campaign not found') });

@ApiTags('campaigns')
@ApiBearerAuth()
@Controller('campaigns')
export class CampaignsHttpController {
  constructor(
    private readonly services: ServiceClient,
    private readonly uploads: ContactUploads,
    @Inject(CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** With `listId`, the list's contacts are copied into the campaign before it is created (this can take a while for a large list). */
  @Post()
  create(@Body() body: CreateCampaignDto, @Ctx() ctx: RequestContext) {
    const timeout = body.listId ? this.config.LIST_COPY_TIMEOUT_MS : this.config.RPC_TIMEOUT_MS;
    return this.services.command('campaigns', CampaignsRpc.createCampaign, { ...ctx, campaign: body }, timeout);
  }

  @Get()
  list(@Query() query: CampaignPageQueryDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.listCampaigns, { ...ctx, ...query });
  }

  @Get(':id')
  get(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.getCampaign, { ...ctx, campaignId: id });
  }

  /** Name, description, settings; a new concurrentCallsLimit applies to a running campaign at once. */
  @Patch(':id')
  update(@Param('id', CampaignId) id: string, @Body() body: UpdateCampaignDto, @Ctx() ctx: RequestContext) {
    if (Object.keys(body).length === 0) throw new BadRequestException('nothing to change: give name, description or settings');
    return this.services.command('campaigns', CampaignsRpc.updateCampaign, { ...ctx, campaignId: id, changes: body });
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    await this.services.command('campaigns', CampaignsRpc.deleteCampaign, { ...ctx, campaignId: id });
  }

  @Post(':id/start')
  @HttpCode(200)
  start(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.startCampaign, { ...ctx, campaignId: id });
  }

  /** Sets or changes the start time of a draft or scheduled campaign. */
  @Post(':id/schedule')
  @HttpCode(200)
  schedule(@Param('id', CampaignId) id: string, @Body() body: ScheduleCampaignDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.scheduleCampaign, { ...ctx, campaignId: id, scheduledTime: body.scheduledTime });
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.pauseCampaign, { ...ctx, campaignId: id });
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.resumeCampaign, { ...ctx, campaignId: id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.cancelCampaign, { ...ctx, campaignId: id });
  }

  @Post(':id/retry')
  @HttpCode(200)
  retry(@Param('id', CampaignId) id: string, @Body() body: RetryCampaignDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.retryCampaign, { ...ctx, campaignId: id, includeVoicemail: body.includeVoicemail === true });
  }

  /** JSON or CSV (streamed, sent on in chunks); duplicates of contacts already in the campaign are skipped. */
  @Post(':id/contacts')
  @HttpCode(200)
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody(CONTACTS_UPLOAD_BODY)
  @ApiOkResponse(UPLOAD_ANSWER)
  async addContacts(
    @Param('id', CampaignId) id: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
    @Ctx() ctx: RequestContext,
  ) {
    const send = (chunk: ImportChunk) =>
      this.services.command<AddContactsResponse>('campaigns', CampaignsRpc.addContacts, {
        ...chunkContext(ctx, chunk),
        campaignId: id,
        contacts: chunk.contacts,
        firstRow: chunk.firstRow,
      });
    // An empty chunk first: an unknown campaign, or one that takes no contacts, is refused before anything is read.
    await send({ index: -1, firstRow: 1, contacts: [] });
    return this.uploads.contacts(req, res, send);
  }

  @Get(':id/contacts')
  contacts(@Param('id', CampaignId) id: string, @Query() query: ContactPageQueryDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.listContacts, { ...ctx, campaignId: id, ...query });
  }

  @Get(':id/progress')
  progress(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.progress, { ...ctx, campaignId: id });
  }

  @Get(':id/stats')
  stats(@Param('id', CampaignId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', CampaignsRpc.stats, { ...ctx, campaignId: id });
  }

  /** The call log comes from call-tracking, after the campaign is confirmed to be the caller's. */
  @Get(':id/calls')
  async calls(@Param('id', CampaignId) id: string, @Query() query: PageQueryDto, @Ctx() ctx: RequestContext) {
    await this.services.command('campaigns', CampaignsRpc.getCampaign, { ...ctx, campaignId: id, withStats: false });
    return this.services.query('call-tracking', CallTrackingRpc.listCalls, { ...ctx, campaignId: id, page: query.page, limit: query.limit });
  }
}

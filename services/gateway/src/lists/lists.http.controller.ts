import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AddContactsResponse, RequestContext } from '@contracts/commands';
import { ContactListView, ListsRpc } from '@contracts/lists/commands';
import { chunkContext } from '../contacts-upload/chunk-context';
import { ContactUploads } from '../contacts-upload/contact-uploads';
import { CONTACTS_UPLOAD_BODY, UPLOAD_ANSWER } from '../contacts-upload/upload.dto';
import { Ctx } from '../http/request-context';
import { ServiceClient } from '../http/service-client';
import { PageQueryDto } from '../http/page-query.dto';
import { CreateListDto } from './lists.dto';

/** A malformed id cannot name a list: 404, like any unknown one. */
const ListId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new NotFoundException('list not found') });

/** Reusable contact lists; a campaign created with `listId` takes the list's contacts. */
@ApiTags('lists')
@ApiBearerAuth()
@Controller('lists')
export class ListsHttpController {
  constructor(
    private readonly services: ServiceClient,
    private readonly uploads: ContactUploads,
  ) {}

  @Post()
  create(@Body() body: CreateListDto, @Ctx() ctx: RequestContext) {
    return this.services.command<ContactListView>('campaigns', ListsRpc.createList, { ...ctx, name: body.name });
  }

  @Get()
  list(@Query() query: PageQueryDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', ListsRpc.listLists, { ...ctx, ...query });
  }

  @Get(':id')
  get(@Param('id', ListId) id: string, @Ctx() ctx: RequestContext) {
    return this.services.command<ContactListView>('campaigns', ListsRpc.getList, { ...ctx, listId: id });
  }

  /** Same rules and answer as adding contacts to a campaign; a number is in a list once. */
  @Post(':id/contacts')
  @HttpCode(200)
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody(CONTACTS_UPLOAD_BODY)
  @ApiOkResponse(UPLOAD_ANSWER)
  async addContacts(@Param('id', ListId) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response, @Ctx() ctx: RequestContext) {
    await this.services.command('campaigns', ListsRpc.getList, { ...ctx, listId: id });
    return this.uploads.contacts(req, res, (chunk) =>
      this.services.command<AddContactsResponse>('campaigns', ListsRpc.addListContacts, {
        ...chunkContext(ctx, chunk),
        listId: id,
        contacts: chunk.contacts,
        firstRow: chunk.firstRow,
      }),
    );
  }

  @Get(':id/contacts')
  contacts(@Param('id', ListId) id: string, @Query() query: PageQueryDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', ListsRpc.listListContacts, { ...ctx, listId: id, ...query });
  }
}

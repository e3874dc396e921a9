import { BadRequestException, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Request, Response } from 'express';
import { AddContactsResponse, RequestContext } from '@contracts/commands';
import { DoNotCallRpc, DoNotCallView } from '@contracts/dnc/commands';
import { chunkContext } from '../contacts-upload/chunk-context';
import { ImportChunk } from '../contacts-upload/chunked-import';
import { ContactUploads } from '../contacts-upload/contact-uploads';
import { UPLOAD_ANSWER } from '../contacts-upload/upload.dto';
import { Ctx } from '../http/request-context';
import { ServiceClient } from '../http/service-client';
import { PageQueryDto } from '../http/page-query.dto';

const NUMBERS_UPLOAD_BODY = {
  description: 'JSON `{numbers:["+14155552671", ...]}`, or a CSV (text/csv body or multipart field `file`) with a `phoneNumber` column.',
  schema: {
    oneOf: [
      { type: 'object', properties: { numbers: { type: 'array', items: { type: 'string' } } } },
      { type: 'string', format: 'binary' },
    ],
  },
} as const;

/**
 * The client's do-not-call list. Numbers are normalised to E.164 like contacts; once an add is
 * answered, no campaign of the client dials the number (a queued attempt ends `skipped`, reason `dnc`).
 */
@ApiTags('do-not-call')
@ApiBearerAuth()
@Controller('dnc')
export class DoNotCallHttpController {
  constructor(
    private readonly services: ServiceClient,
    private readonly uploads: ContactUploads,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody(NUMBERS_UPLOAD_BODY)
  @ApiOkResponse(UPLOAD_ANSWER)
  add(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Ctx() ctx: RequestContext) {
    return this.uploads.numbers(req, res, this.sender(DoNotCallRpc.addNumbers, ctx));
  }

  /** Bulk removal, same input as adding. */
  @Post('remove')
  @HttpCode(200)
  @ApiConsumes('application/json', 'text/csv', 'multipart/form-data')
  @ApiBody(NUMBERS_UPLOAD_BODY)
  @ApiOkResponse(UPLOAD_ANSWER)
  remove(@Req() req: Request, @Res({ passthrough: true }) res: Response, @Ctx() ctx: RequestContext) {
    return this.uploads.numbers(req, res, this.sender(DoNotCallRpc.removeNumbers, ctx));
  }

  @Delete(':phoneNumber')
  @HttpCode(204)
  async removeOne(@Param('phoneNumber') phoneNumber: string, @Ctx() ctx: RequestContext) {
    const answer = await this.sender(DoNotCallRpc.removeNumbers, ctx)({ index: 0, firstRow: 1, contacts: [{ phoneNumber }] });
    if (answer.rejected.length > 0) throw new BadRequestException(`phoneNumber: ${answer.rejected[0].reason}`);
  }

  /** Listed numbers, a page at a time (ordered by a hash of the number, stable across pages). */
  @Get()
  list(@Query() query: PageQueryDto, @Ctx() ctx: RequestContext) {
    return this.services.command('campaigns', DoNotCallRpc.listNumbers, { ...ctx, ...query });
  }

  /** `{phoneNumber (E.164), listed, addedAt?}`; 400 for something that is not a phone number. */
  @Get(':phoneNumber')
  check(@Param('phoneNumber') phoneNumber: string, @Ctx() ctx: RequestContext) {
    return this.services.command<DoNotCallView>('campaigns', DoNotCallRpc.checkNumber, { ...ctx, phoneNumber });
  }

  private sender(rpc: string, ctx: RequestContext) {
    return (chunk: ImportChunk) =>
      this.services.command<AddContactsResponse>('campaigns', rpc, {
        ...chunkContext(ctx, chunk),
        numbers: chunk.contacts.map((c) => c.phoneNumber ?? ''),
        firstRow: chunk.firstRow,
      });
  }
}

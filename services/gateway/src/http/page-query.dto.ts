import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Pages beyond this are refused (400) rather than handed to the database as a huge skip. */
const MAX_PAGE = 100_000;

/** `page` and `limit` of every listing. */
export class PageQueryDto {
  @ApiPropertyOptional({ default: 1, maximum: MAX_PAGE }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE) page: number = 1;
  @ApiPropertyOptional({ default: 20, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit: number = 20;
}

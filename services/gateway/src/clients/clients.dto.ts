import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';

export class CreateClientDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_CONCURRENT_CALLS_PER_SCOPE }) @IsOptional() @IsInt() @Min(1) @Max(MAX_CONCURRENT_CALLS_PER_SCOPE) maxConcurrentCalls?: number;
}

export class UpdateClientDto {
  @ApiProperty({ minimum: 1, maximum: MAX_CONCURRENT_CALLS_PER_SCOPE }) @IsInt() @Min(1) @Max(MAX_CONCURRENT_CALLS_PER_SCOPE) maxConcurrentCalls!: number;
}

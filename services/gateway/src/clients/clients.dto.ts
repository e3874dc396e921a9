import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class CreateClientDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ minimum: 1 }) @IsOptional() @IsInt() @Min(1) @Max(100_000) maxConcurrentCalls?: number;
}

export class UpdateClientDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(100_000) maxConcurrentCalls!: number;
}

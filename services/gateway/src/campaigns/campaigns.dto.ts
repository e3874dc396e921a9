import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsISO8601, IsIn, IsInt, IsNotEmpty, IsNumber, IsObject, IsOptional, IsString, IsTimeZone, IsUrl, Matches, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { CAMPAIGN_STATUSES, CONTACT_STATUSES } from '@contracts/campaigns/settings';
import { MAX_CONCURRENT_CALLS_PER_SCOPE } from '@contracts/dialing/limits';
import { PageQueryDto } from '../http/page-query.dto';

const E164 = /^\+[1-9]\d{6,14}$/;
const HH_MM = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
const urlOptions = { require_tld: false, require_protocol: true };
/** Deleted campaigns are gone for the API: never listed, not even on request. */
const LISTED_CAMPAIGN_STATUSES = CAMPAIGN_STATUSES.filter((s) => s !== 'deleted');
/** `@ValidateNested` takes an array of objects too: a nested object must be one object. */
const oneObject = (name: string) => IsObject({ message: `${name} must be an object` });

export class CallWindowDto {
  @ApiProperty({ example: '09:00' }) @Matches(HH_MM, { message: 'start must be HH:MM' }) start!: string;
  @ApiProperty({ example: '20:00' }) @Matches(HH_MM, { message: 'end must be HH:MM' }) end!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) @IsTimeZone({ message: 'timezone must be an IANA time zone' }) timezone!: string;
}

export class CampaignSettingsDto {
  @ApiPropertyOptional({ default: 3, minimum: 1, maximum: MAX_CONCURRENT_CALLS_PER_SCOPE }) @IsOptional() @IsInt() @Min(1) @Max(MAX_CONCURRENT_CALLS_PER_SCOPE) concurrentCallsLimit?: number;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() retryFailedCalls?: boolean;
  @ApiPropertyOptional({ default: 3 }) @IsOptional() @IsInt() @Min(0) @Max(20) maxRetryAttempts?: number;
  @ApiPropertyOptional({ default: 30 }) @IsOptional() @IsNumber() @Min(0) retryDelayMinutes?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() excludeVoicemail?: boolean;
  @ApiPropertyOptional({ enum: ['fifo', 'priority'] }) @IsOptional() @IsIn(['fifo', 'priority']) priorityMode?: 'fifo' | 'priority';
  @ApiPropertyOptional({ type: CallWindowDto }) @IsOptional() @oneObject('callWindow') @ValidateNested() @Type(() => CallWindowDto) callWindow?: CallWindowDto;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(300) ringTimeoutSeconds?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(1) @Max(86_400) timeLimitSeconds?: number;
  @ApiPropertyOptional({ enum: ['true', 'hangup', 'false'] }) @IsOptional() @IsIn(['true', 'hangup', 'false']) machineDetection?:
    | 'true'
    | 'hangup'
    | 'false';
}

export class CreateCampaignDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() agentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() listId?: string;
  @ApiProperty({ example: '+14155550100' }) @Matches(E164, { message: 'fromNumber must be an E.164 number like +14155550100' }) fromNumber!: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(E164, { each: true, message: 'fromNumbers must be E.164 numbers' })
  fromNumbers?: string[];
  @ApiPropertyOptional({ example: 'wss://bot.example.com/stream' })
  @ValidateIf((o: CreateCampaignDto) => !o.answerUrl || o.wssUrl !== undefined)
  @IsUrl({ ...urlOptions, protocols: ['ws', 'wss'] }, { message: 'wssUrl must be a ws:// or wss:// URL (or give answerUrl)' })
  wssUrl?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl({ ...urlOptions, protocols: ['http', 'https'] }, { message: 'answerUrl must be an http(s) URL' })
  answerUrl?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) scheduledTime?: string;
  @ApiPropertyOptional({ type: CampaignSettingsDto }) @IsOptional() @oneObject('settings') @ValidateNested() @Type(() => CampaignSettingsDto) settings?: CampaignSettingsDto;
}

export class CampaignPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: LISTED_CAMPAIGN_STATUSES })
  @IsOptional()
  @IsIn(LISTED_CAMPAIGN_STATUSES, { message: `status must be one of ${LISTED_CAMPAIGN_STATUSES.join(', ')}` })
  status?: string;
}

export class ContactPageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CONTACT_STATUSES })
  @IsOptional()
  @IsIn(CONTACT_STATUSES, { message: `status must be one of ${CONTACT_STATUSES.join(', ')}` })
  status?: string;
}

export class RetryCampaignDto {
  @ApiPropertyOptional({ default: false, description: 'also re-dial contacts that ended on voicemail' })
  @IsOptional()
  @IsBoolean()
  includeVoicemail?: boolean;
}

export class ScheduleCampaignDto {
  @ApiProperty({ example: '2026-12-01T09:00:00Z' }) @IsISO8601({ strict: true }) scheduledTime!: string;
}

export class UpdateCampaignDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiPropertyOptional({ type: CampaignSettingsDto }) @IsOptional() @oneObject('settings') @ValidateNested() @Type(() => CampaignSettingsDto) settings?: CampaignSettingsDto;
}

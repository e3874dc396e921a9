import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsString } from 'class-validator';

/** Larger batches go as CSV, which is streamed. */
export const MAX_JSON_ROWS = 10_000;

export class AddContactsDto {
  @ApiProperty({ description: 'contacts: phoneNumber (required), name, email, priority, timezone, customData' })
  @IsArray()
  @ArrayMaxSize(MAX_JSON_ROWS, { message: `at most ${MAX_JSON_ROWS} contacts per JSON request; upload larger sets as CSV` })
  @IsObject({ each: true, message: 'each contact must be an object' })
  contacts!: Record<string, unknown>[];
}

export class NumbersDto {
  @ApiProperty({ type: [String], example: ['+14155552671'] })
  @IsArray()
  @ArrayMaxSize(MAX_JSON_ROWS, { message: `at most ${MAX_JSON_ROWS} numbers per JSON request; upload larger sets as CSV` })
  @IsString({ each: true, message: 'each number must be a string' })
  numbers!: string[];
}

/** OpenAPI: the three ways to upload contacts. */
export const CONTACTS_UPLOAD_BODY = {
  description:
    'JSON `{contacts:[...]}`, or a CSV (text/csv body, or multipart/form-data with the file in field `file`) with a header row: ' +
    '`phoneNumber` (required), optional `name,email,priority,timezone`; any other column goes into `customData`.',
  schema: {
    oneOf: [
      { type: 'object', properties: { contacts: { type: 'array', items: { type: 'object' } } } },
      { type: 'string', format: 'binary' },
    ],
  },
} as const;

/** OpenAPI: the answer of an upload. */
export const UPLOAD_ANSWER = {
  description:
    '`rejected` lists the first LISTED_REJECTIONS (1000) rejected rows, `rejectedCount` counts all. `row` is the position in ' +
    'the JSON array (from 1), or for CSV the line number in the file counting the header as line 1.',
} as const;

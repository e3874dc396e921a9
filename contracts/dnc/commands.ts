import { PageQuery, RequestContext } from '../commands';

/** Do-not-call commands and queries, served by the campaigns service on `cmd.campaigns.<name>`. */
export const DoNotCallRpc = {
  addNumbers: 'addDoNotCallNumbers',
  removeNumbers: 'removeDoNotCallNumbers',
  listNumbers: 'listDoNotCallNumbers',
  checkNumber: 'checkDoNotCallNumber',
} as const;

export interface DoNotCallNumbersRequest extends RequestContext {
  numbers: string[];
  /** Row number of the first number, for error reports of CSV chunks. */
  firstRow?: number;
}

export interface DoNotCallCheckRequest extends RequestContext {
  phoneNumber: string;
}

export interface DoNotCallListRequest extends RequestContext, PageQuery {}

export interface DoNotCallView {
  phoneNumber: string;
  listed: boolean;
  /** When it was listed (listed numbers only). */
  addedAt?: string;
}

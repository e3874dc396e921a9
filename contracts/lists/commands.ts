import { PageQuery, RequestContext } from '../commands';

/** Contact-list commands and queries, served by the campaigns service on `cmd.campaigns.<name>`. */
export const ListsRpc = {
  createList: 'createList',
  getList: 'getList',
  listLists: 'listLists',
  addListContacts: 'addListContacts',
  listListContacts: 'listListContacts',
} as const;

export interface CreateContactListRequest extends RequestContext {
  name: string;
}

export interface ContactListRequest extends RequestContext {
  listId: string;
}

export interface AddListContactsRequest extends ContactListRequest {
  contacts: Record<string, unknown>[];
  /** Row number of the first contact, for error reports of CSV chunks. */
  firstRow?: number;
}

export interface ContactListsRequest extends RequestContext, PageQuery {}
export interface ListContactsPageRequest extends ContactListRequest, PageQuery {}

export interface ContactListView {
  id: string;
  name: string;
  createdAt: string;
  /** Contacts projected so far (eventually consistent). */
  contactCount: number;
}

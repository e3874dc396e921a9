export * from './envelope';
export * from './subjects';
export * from './commands';
export * from './campaigns/settings';
export * from './campaigns/events';
export * from './clients/events';
export * from './calls/events';
export * from './dialing/dial-job';
export * from './dialing/runtime';
export * from './dialing/limits';
export * from './lists/events';
export * from './lists/commands';
export * from './dnc/events';
export * from './dnc/keys';
export * from './dnc/commands';
import { CAMPAIGN_EVENT_CONTRACTS } from './campaigns/events';
import { CLIENT_EVENT_CONTRACTS } from './clients/events';
import { CALL_EVENT_CONTRACTS } from './calls/events';
import { LIST_EVENT_CONTRACTS } from './lists/events';
import { DNC_EVENT_CONTRACTS } from './dnc/events';

/** Every published event contract, for documentation and schema export. */
export const ALL_EVENT_CONTRACTS = [
  ...CAMPAIGN_EVENT_CONTRACTS,
  ...CLIENT_EVENT_CONTRACTS,
  ...CALL_EVENT_CONTRACTS,
  ...LIST_EVENT_CONTRACTS,
  ...DNC_EVENT_CONTRACTS,
];

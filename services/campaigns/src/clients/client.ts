import { ClientEvent, ClientLimitsChangedV1, ClientRegisteredV1 } from '@contracts/clients/events';
import { Decider, DomainError } from '@libs/decider/decider';
import { CommandMetadata, makeEvent } from '@libs/event-store/make-event';

// ---- state and evolve ---------------------------------------------------------------------------

export type ClientState =
  | { status: 'none' }
  | { status: 'active'; clientId: string; name: string; maxConcurrentCalls: number; createdAt: string };

export function evolveClient(state: ClientState, event: ClientEvent): ClientState {
  switch (event.type) {
    case 'ClientRegistered': {
      const { clientId, name, maxConcurrentCalls, createdAt } = event.data;
      return { status: 'active', clientId, name, maxConcurrentCalls, createdAt };
    }
    case 'ClientLimitsChanged':
      return state.status === 'active' ? { ...state, maxConcurrentCalls: event.data.maxConcurrentCalls } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

// ---- commands and decide ------------------------------------------------------------------------

export type ClientCommand =
  | {
      type: 'RegisterClient';
      data: { clientId: string; name: string; maxConcurrentCalls: number; apiKeyHash: string };
      metadata: CommandMetadata;
    }
  | { type: 'ChangeClientLimits'; data: { clientId: string; maxConcurrentCalls: number }; metadata: CommandMetadata };

export function decideClient(command: ClientCommand, state: ClientState): ClientEvent[] {
  const ids = { aggregateId: command.data.clientId, clientId: command.data.clientId };
  switch (command.type) {
    case 'RegisterClient':
      if (state.status !== 'none') throw new DomainError('conflict', `client ${command.data.clientId} already exists`);
      return [makeEvent(ClientRegisteredV1, { ...command.data, createdAt: command.metadata.now }, command.metadata, ids)];
    case 'ChangeClientLimits':
      if (state.status === 'none') throw new DomainError('not-found', `client ${command.data.clientId} not found`);
      if (state.maxConcurrentCalls === command.data.maxConcurrentCalls) return [];
      return [makeEvent(ClientLimitsChangedV1, command.data, command.metadata, ids)];
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const clientDecider: Decider<ClientCommand, ClientEvent, ClientState> = {
  decide: decideClient,
  evolve: evolveClient,
  initialState: () => ({ status: 'none' }),
};

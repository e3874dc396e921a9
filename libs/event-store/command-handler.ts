import { EventEnvelope } from '@contracts/envelope';
import { Decider, fold } from '../decider/decider';
import { ConcurrencyError, JetStreamEventStore } from './jetstream-event-store';

export interface CommandResult<E, S> {
  events: E[];
  state: S;
  revision: number;
}

/**
 * Read the aggregate, fold with `evolve`, `decide`, append with the expected revision. A concurrent
 * writer makes the append fail; the command is then decided again on the fresh state, up to `retries`
 * times, and a persistent conflict surfaces as ConcurrencyError (409 at the edge).
 */
export async function handleCommand<C, E extends EventEnvelope, S>(
  store: JetStreamEventStore,
  decider: Decider<C, E, S>,
  subject: string,
  command: C,
  retries = 5,
): Promise<CommandResult<E, S>> {
  for (let attempt = 0; ; attempt++) {
    const { events: history, revision } = await store.read<E>(subject);
    const state = fold(decider, history);
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, state, revision };
    try {
      const newRevision = await store.append(subject, events, revision);
      return { events, state: events.reduce(decider.evolve, state), revision: newRevision };
    } catch (e) {
      if (!(e instanceof ConcurrencyError) || attempt >= retries) throw e;
    }
  }
}

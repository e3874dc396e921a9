import { EventEnvelope } from '@contracts/envelope';
import { Decider, fold } from '../decider/decider';
import { ConcurrencyError, JetStreamEventStore } from './jetstream-event-store';

export interface CommandResult<E, S> {
  events: E[];
  state: S;
  revision: number;
}

/** An aggregate's current state, folded from its events, and the revision it was read at. */
export async function loadAggregate<E extends EventEnvelope, S>(
  store: JetStreamEventStore,
  decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>,
  subject: string,
): Promise<{ state: S; revision: number }> {
  const { events, revision } = await store.read<E>(subject);
  return { state: fold(decider, events), revision };
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
    const { state, revision } = await loadAggregate(store, decider, subject);
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

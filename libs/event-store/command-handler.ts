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
): Promise<{ state: S; revision: number; events: E[] }> {
  const { events, revision } = await store.read<E>(subject);
  return { state: fold(decider, events), revision, events };
}

/**
 * Read the aggregate, fold with `evolve`, `decide`, append with the expected revision. A concurrent
 * writer makes the append fail; the command is then decided again on the fresh state, up to `retries`
 * times, and a persistent conflict surfaces as ConcurrencyError (409 at the edge). With `commandId`, a
 * command whose events are in the stream already (the same command sent again) is not decided again:
 * the state it left is the answer, and no event is added.
 */
export async function handleCommand<C, E extends EventEnvelope, S>(
  store: JetStreamEventStore,
  decider: Decider<C, E, S>,
  subject: string,
  command: C,
  { retries = 5, commandId }: { retries?: number; commandId?: string } = {},
): Promise<CommandResult<E, S>> {
  for (let attempt = 0; ; attempt++) {
    const { state, revision, events: past } = await loadAggregate(store, decider, subject);
    if (commandId !== undefined && past.some((e) => e.metadata.causationId === commandId)) return { events: [], state, revision };
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

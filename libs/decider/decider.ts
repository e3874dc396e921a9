/**
 * A decider is the whole behaviour of an aggregate as pure functions: `decide` turns a command and the
 * current state into new events (or throws a DomainError), `evolve` folds one event into the state.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export type DomainErrorKind = 'invalid' | 'conflict' | 'not-found';

/** A refusal by the domain; the edge maps `kind` to 400 / 409 / 404. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function fold<Event, State>(decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>, events: Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}

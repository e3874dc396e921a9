import { Decider, DomainError, DomainErrorKind, fold } from './decider';

/**
 * Given-events / when-command / then-events specs for a decider:
 *   spec(decider).given([created]).when(start).then([started])
 *   spec(decider).given([]).when(start).thenRefuses('conflict', /draft/)
 *   spec(decider).given([created]).when(start).then([started], (state) => expect(state.status).toBe('running'))
 */
export function spec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(history: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold(decider, history));
          return {
            /** `checkState` sees the state after the given and the decided events. */
            then(expected: Event[], checkState?: (state: State) => void): void {
              const decided = run();
              expect(decided).toEqual(expected);
              checkState?.(fold(decider, [...history, ...decided]));
            },
            thenRefuses(kind: DomainErrorKind, message?: RegExp) {
              let error: unknown;
              try {
                run();
              } catch (e) {
                error = e;
              }
              expect(error).toBeInstanceOf(DomainError);
              expect((error as DomainError).kind).toBe(kind);
              if (message) expect((error as DomainError).message).toMatch(message);
            },
          };
        },
      };
    },
  };
}

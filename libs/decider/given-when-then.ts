import { Decider, DomainError, DomainErrorKind, fold } from './decider';

/**
 * Given-events / when-command / then-events specs for a decider:
 *   spec(decider).given([created]).when(start).then([started])
 *   spec(decider).given([]).when(start).thenRefuses('conflict', /draft/)
 */
export function spec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, fold(decider, events));
          return {
            then(expected: Event[]) {
              expect(run()).toEqual(expected);
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

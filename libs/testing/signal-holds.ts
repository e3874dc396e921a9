import { getEventListeners } from 'events';

/**
 * What a long-lived abort signal still holds of work that used it: its abort listeners, and the
 * signals derived from it with `AbortSignal.any` (Node keeps those until the signal aborts; the
 * internal set is read by its symbol's name, for tests only). 0 once that work is over.
 */
export function holdsOn(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find((s) => s.description === 'kDependantSignals');
  const derived = dependants ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants]?.size ?? 0) : 0;
  return getEventListeners(signal, 'abort').length + derived;
}

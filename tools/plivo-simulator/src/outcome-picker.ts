import { OUTCOMES, Outcome } from './types';

/**
 * Picks an outcome by weight. `random` returns [0, 1) like Math.random; weights
 * need not sum to 100.
 */
export function pickOutcome(weights: Record<Outcome, number>, random: () => number = Math.random): Outcome {
  const total = OUTCOMES.reduce((sum, o) => sum + Math.max(0, weights[o] ?? 0), 0);
  if (total <= 0) throw new Error('outcome weights sum to 0');
  let point = random() * total;
  for (const outcome of OUTCOMES) {
    const weight = Math.max(0, weights[outcome] ?? 0);
    if (point < weight) return outcome;
    point -= weight;
  }
  // Only reachable through floating-point rounding at the top end.
  return [...OUTCOMES].reverse().find((o) => (weights[o] ?? 0) > 0) as Outcome;
}

/** Digits only, so "+1 415-555-0100" and "14155550100" name the same number. */
function digitsOf(number: string): string {
  return number.replace(/\D/g, '');
}

/** The fixed outcome configured for `to`, if any (matching ignores "+" and punctuation). */
export function outcomeForNumber(to: string, byNumber: Record<string, Outcome>): Outcome | undefined {
  if (byNumber[to]) return byNumber[to];
  const wanted = digitsOf(to);
  const key = Object.keys(byNumber).find((number) => digitsOf(number) === wanted);
  return key === undefined ? undefined : byNumber[key];
}

export function chooseOutcome(
  to: string,
  weights: Record<Outcome, number>,
  byNumber: Record<string, Outcome>,
  random: () => number = Math.random,
): Outcome {
  return outcomeForNumber(to, byNumber) ?? pickOutcome(weights, random);
}

import { chooseOutcome, outcomeForNumber, pickOutcome } from './outcome-picker';
import { Outcome } from './types';

const mix = (partial: Partial<Record<Outcome, number>>): Record<Outcome, number> => ({
  answer: 0, voicemail: 0, busy: 0, 'no-answer': 0, failed: 0, ...partial,
});

describe('pickOutcome', () => {
  it('maps the random draw onto the cumulative weights', () => {
    const weights = mix({ answer: 80, voicemail: 5, busy: 5, 'no-answer': 5, failed: 5 });
    expect(pickOutcome(weights, () => 0)).toBe('answer');
    expect(pickOutcome(weights, () => 0.7999)).toBe('answer');
    expect(pickOutcome(weights, () => 0.8)).toBe('voicemail');
    expect(pickOutcome(weights, () => 0.86)).toBe('busy');
    expect(pickOutcome(weights, () => 0.91)).toBe('no-answer');
    expect(pickOutcome(weights, () => 0.99999)).toBe('failed');
  });

  it('never picks an outcome with weight 0', () => {
    const weights = mix({ busy: 1, failed: 3 });
    const seen = new Set<Outcome>();
    for (let i = 0; i < 1000; i++) seen.add(pickOutcome(weights, () => i / 1000));
    expect([...seen].sort()).toEqual(['busy', 'failed']);
  });

  it('follows the weights statistically', () => {
    const weights = mix({ answer: 3, busy: 1 });
    let answers = 0;
    for (let i = 0; i < 4000; i++) if (pickOutcome(weights) === 'answer') answers++;
    expect(answers / 4000).toBeGreaterThan(0.7);
    expect(answers / 4000).toBeLessThan(0.8);
  });

  it('refuses weights that sum to 0', () => {
    expect(() => pickOutcome(mix({}))).toThrow();
  });
});

describe('outcomeForNumber / chooseOutcome', () => {
  const byNumber: Record<string, Outcome> = { '+14155550100': 'busy', '14155550101': 'failed' };

  it('matches numbers with or without "+" and punctuation', () => {
    expect(outcomeForNumber('+14155550100', byNumber)).toBe('busy');
    expect(outcomeForNumber('14155550100', byNumber)).toBe('busy');
    expect(outcomeForNumber('+1 415-555-0101', byNumber)).toBe('failed');
    expect(outcomeForNumber('+14155550199', byNumber)).toBeUndefined();
  });

  it('prefers the per-number outcome over the mix', () => {
    expect(chooseOutcome('+14155550100', mix({ answer: 100 }), byNumber)).toBe('busy');
    expect(chooseOutcome('+14155550199', mix({ answer: 100 }), byNumber)).toBe('answer');
  });
});

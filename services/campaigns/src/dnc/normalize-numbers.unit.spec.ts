import { normalizeNumbers } from './normalize-numbers';

describe('normalizeNumbers', () => {
  it('normalises to E.164, keeps each number once and names bad rows', () => {
    expect(normalizeNumbers(['+1 (415) 555-2671', '442079460958', '+14155552671', 'nope', 42], 10)).toEqual({
      numbers: ['+14155552671', '+442079460958'],
      duplicates: 1,
      rejected: [
        { row: 13, phoneNumber: 'nope', reason: expect.stringMatching(/not a valid phone number/) },
        { row: 14, phoneNumber: '42', reason: expect.stringMatching(/not a valid phone number/) },
      ],
    });
  });
});

import { contactIdOf, normalizeContacts } from './normalize-contacts';

describe('normalizeContacts', () => {
  it('normalises numbers to E.164, reports bad rows and counts duplicates', () => {
    const result = normalizeContacts('c1', [
      { phoneNumber: '+1 (415) 555-2671', name: 'Ann', priority: 2, customData: { plan: 'gold' } },
      { phoneNumber: '0044 20 7946 0958' },
      { phoneNumber: 'not a number' },
      { phoneNumber: '+14155552671' },
      { phoneNumber: '+14155552672', email: 'nope' },
      {},
    ]);
    expect(result.accepted.map((c) => c.phoneNumber)).toEqual(['+14155552671', '+442079460958']);
    expect(result.accepted[0]).toMatchObject({ name: 'Ann', priority: 2, customData: { plan: 'gold' } });
    expect(result.accepted[0].contactId).toBe(contactIdOf('c1', '+14155552671'));
    expect(result.duplicates).toBe(1);
    expect(result.rejected).toEqual([
      { row: 3, phoneNumber: 'not a number', reason: expect.stringMatching(/valid phone/) },
      { row: 5, phoneNumber: '+14155552672', reason: 'email is not a valid address' },
      { row: 6, phoneNumber: '', reason: 'phoneNumber is required' },
    ]);
  });

  it('gives the same number in another campaign another id', () => {
    expect(contactIdOf('c1', '+14155552671')).not.toBe(contactIdOf('c2', '+14155552671'));
  });
});

import { contactOfCsvRecord, csvColumns, CsvHeaderError } from './csv-columns';

describe('csvColumns', () => {
  it('matches known columns case-insensitively and keeps other names as they are', () => {
    expect(csvColumns([' PhoneNumber', 'NAME', 'email', 'Plan', 'tier '])).toEqual(['phoneNumber', 'name', 'email', 'Plan', 'tier']);
  });

  it('refuses a header without phoneNumber, naming what it found', () => {
    expect(() => csvColumns(['phone', 'name'])).toThrow(new CsvHeaderError('CSV header must have a phoneNumber column (found: phone, name)'));
  });

  it('refuses duplicate and empty column names', () => {
    expect(() => csvColumns(['phoneNumber', 'Name', 'name'])).toThrow(/"name" appears twice/);
    expect(() => csvColumns(['phoneNumber', ' '])).toThrow(/column 2 has no name/);
  });

  it('takes other required columns', () => {
    expect(csvColumns(['phoneNumber'], [])).toEqual(['phoneNumber']);
    expect(() => csvColumns(['name'], ['phoneNumber'])).toThrow(/phoneNumber/);
  });
});

describe('contactOfCsvRecord', () => {
  it('maps known columns, drops their empty cells and puts the rest into customData', () => {
    expect(
      contactOfCsvRecord({ phoneNumber: ' +14155552671 ', name: 'Ann', email: '', priority: '5', timezone: undefined, plan: 'gold', note: '' }),
    ).toEqual({ phoneNumber: '+14155552671', name: 'Ann', priority: '5', customData: { plan: 'gold', note: '' } });
  });

  it('has no customData when there are no other columns', () => {
    expect(contactOfCsvRecord({ phoneNumber: '+14155552671' })).toEqual({ phoneNumber: '+14155552671' });
  });
});

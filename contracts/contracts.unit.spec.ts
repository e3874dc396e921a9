import { readFileSync } from 'fs';
import { join } from 'path';
import { ALL_EVENT_CONTRACTS } from './index';

describe('published event contracts', () => {
  it('have unique type/version pairs', () => {
    const keys = ALL_EVENT_CONTRACTS.map((c) => `${c.type}.v${c.version}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  // A published shape never changes: a new shape needs a new version (and `npm run contracts:schemas`).
  it.each(ALL_EVENT_CONTRACTS.map((c) => [`${c.type}.v${c.version}`, c] as const))('%s matches its committed JSON Schema', (name, contract) => {
    const committed = JSON.parse(readFileSync(join(__dirname, 'schemas', `${name}.json`), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', 'x-subject': contract.subject, ...contract.schema })));
  });
});

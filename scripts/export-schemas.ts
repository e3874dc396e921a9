import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { ALL_EVENT_CONTRACTS } from '../contracts';

/** Writes the JSON Schema of every event contract to contracts/schemas/<Type>.v<version>.json. */
const dir = join(process.cwd(), 'contracts', 'schemas');
mkdirSync(dir, { recursive: true });
for (const contract of ALL_EVENT_CONTRACTS) {
  const file = join(dir, `${contract.type}.v${contract.version}.json`);
  const schema = { $schema: 'http://json-schema.org/draft-07/schema#', 'x-subject': contract.subject, ...contract.schema };
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

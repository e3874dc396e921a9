/** Columns with a meaning of their own; every other column goes into `customData`. */
export const CONTACT_COLUMNS = ['phoneNumber', 'name', 'email', 'priority', 'timezone'] as const;
type ContactColumn = (typeof CONTACT_COLUMNS)[number];

const BY_LOWER_CASE = new Map<string, ContactColumn>(CONTACT_COLUMNS.map((c) => [c.toLowerCase(), c]));

/** A header row that cannot be used: the whole upload is refused (400). */
export class CsvHeaderError extends Error {}

/**
 * The column names of a CSV header row. Known columns are matched case-insensitively and get their
 * canonical spelling; `required` columns must be present, and names must be unique and non-empty.
 */
export function csvColumns(header: string[], required: readonly string[] = ['phoneNumber']): string[] {
  const columns = header.map((raw, i) => {
    const name = raw.trim();
    if (!name) throw new CsvHeaderError(`CSV header: column ${i + 1} has no name`);
    return BY_LOWER_CASE.get(name.toLowerCase()) ?? name;
  });
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new CsvHeaderError(`CSV header: column "${c}" appears twice`);
    seen.add(c);
  }
  const missing = required.filter((r) => !seen.has(r));
  if (missing.length > 0) {
    throw new CsvHeaderError(`CSV header must have a ${missing.join(', ')} column (found: ${columns.join(', ') || 'nothing'})`);
  }
  return columns;
}

/**
 * A contact from one CSV record (keyed by canonical column names). Empty cells of the known columns
 * are left out; every other column is kept as a string in `customData`.
 */
export function contactOfCsvRecord(record: Record<string, string | undefined>): Record<string, unknown> {
  const contact: Record<string, unknown> = {};
  const customData: Record<string, string> = {};
  for (const [column, raw] of Object.entries(record)) {
    if (raw === undefined) continue;
    if (BY_LOWER_CASE.get(column.toLowerCase()) === column) {
      const value = raw.trim();
      if (value !== '') contact[column] = value;
    } else {
      customData[column] = raw;
    }
  }
  if (Object.keys(customData).length > 0) contact.customData = customData;
  return contact;
}

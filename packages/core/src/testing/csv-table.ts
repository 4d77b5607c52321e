import { csvRecords } from '../domain/csv';

/**
 * A CSV file read back as RFC 4180 has it (`csvRecords`), each record after the header as an object
 * keyed by the header's names; malformed CSV, or a record whose width is not the header's, throws.
 */
export function csvTable(text: string): Record<string, string>[] {
  const records = [...csvRecords(text)].map((r) => {
    if ('reason' in r) throw new Error(`CSV line ${r.line}: ${r.reason}`);
    return r;
  });
  const [header, ...rows] = records;
  if (!header) return [];
  return rows.map(({ line, fields }) => {
    if (fields.length !== header.fields.length)
      throw new Error(`CSV line ${line} has ${fields.length} fields, the header ${header.fields.length}`);
    return Object.fromEntries(header.fields.map((name, i) => [name, fields[i]!]));
  });
}

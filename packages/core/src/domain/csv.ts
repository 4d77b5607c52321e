/** One record of a CSV file: its fields and the line it starts on (1 is the header). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; line: number; reason: string };

/**
 * Parses CSV as RFC 4180 has it: comma-separated, fields optionally in double quotes (`""` inside is a
 * quote, and a quoted field may hold commas and line breaks), CRLF or LF line ends, a leading UTF-8 BOM
 * dropped. Blank lines are skipped. Pure: no I/O.
 */
export function parseCsv(text: string): CsvResult {
  const records: CsvRecord[] = [];
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        const next = input[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r')
          return { ok: false, line, reason: 'a closing quote must end its field' };
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"') {
      if (field !== '') return { ok: false, line, reason: 'a quote inside an unquoted field' };
      quoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      if (ch === '\r' && input[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else field += ch;
    i++;
  }
  if (quoted) return { ok: false, line: recordLine, reason: 'a quoted field is not closed' };
  if (field !== '' || fields.length > 0) endRecord();
  return { ok: true, records };
}

/** One record of a CSV file: its fields and the line it starts on (1 is the header). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Where and why a text stops being CSV. */
export interface CsvFault {
  line: number;
  reason: string;
}

/**
 * The records of CSV as RFC 4180 has it: comma-separated, fields optionally in double quotes (`""`
 * inside is a quote, and a quoted field may hold commas and line breaks), CRLF or LF line ends, a
 * leading UTF-8 BOM dropped. Blank lines are skipped. Malformed text ends with a fault instead of a
 * record. Lazy: each record is read when it is asked for, so a reader that stops leaves the rest of
 * the text unread. A record keeps at most `maxFields + 1` fields, enough to tell it has too many: the
 * rest are read past, not kept. Pure: no I/O.
 */
export function* csvRecords(
  text: string,
  maxFields = Number.POSITIVE_INFINITY,
): Generator<CsvRecord | CsvFault, void, undefined> {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let recordLine = 1;
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i]!;
    if (quoted) {
      if (ch !== '"') {
        if (ch === '\n') line++;
        field += ch;
      } else if (input[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        const next = input[i + 1];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          yield { line, reason: 'a closing quote must end its field' };
          return;
        }
      }
    } else if (ch === '"') {
      if (field !== '') {
        yield { line, reason: 'a quote inside an unquoted field' };
        return;
      }
      quoted = true;
    } else if (ch === ',') {
      if (fields.length <= maxFields) fields.push(field);
      field = '';
    } else if (ch === '\r' || ch === '\n') {
      if (fields.length <= maxFields) fields.push(field);
      if (fields.length > 1 || field !== '') yield { line: recordLine, fields };
      fields = [];
      field = '';
      if (ch === '\r' && input[i + 1] === '\n') i++;
      line++;
      recordLine = line;
    } else field += ch;
  }
  if (quoted) yield { line: recordLine, reason: 'a quoted field is not closed' };
  else if (field !== '' || fields.length > 0)
    yield { line: recordLine, fields: fields.length <= maxFields ? [...fields, field] : fields };
}

/** What a CSV cell written holds: text, a number, or nothing (an empty cell). */
export type CsvCell = string | number | null;

/** A start that spreadsheets read as a formula (or, tab and CR, that some strip before reading one). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number as text (`-10.5`, `+255754000111`): a spreadsheet reads it as a number, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(?:\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell as RFC 4180 writes it: in double quotes (a quote doubled) when it holds a comma, quote or line
 * break. Text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR
 * and is not a plain number) gets a leading single quote, which spreadsheets show as text.
 */
export function csvField(cell: CsvCell): string {
  if (cell === null) return '';
  let text = String(cell);
  if (typeof cell === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record: its cells, comma-separated, ending in CRLF. */
export const csvLine = (cells: readonly CsvCell[]): string => `${cells.map(csvField).join(',')}\r\n`;

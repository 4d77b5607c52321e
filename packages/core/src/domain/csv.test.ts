import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';

const fields = (text: string) => {
  const r = parseCsv(text);
  if (!r.ok) throw new Error(r.reason);
  return r.records.map((x) => x.fields);
};

describe('parseCsv', () => {
  it('reads plain records with LF or CRLF ends and a BOM', () => {
    expect(fields('\uFEFFname,phone\r\nAsha,0754000001\nJuma,0754000002\n')).toEqual([
      ['name', 'phone'],
      ['Asha', '0754000001'],
      ['Juma', '0754000002'],
    ]);
  });

  it('keeps quoted commas, quotes and line breaks, and counts lines', () => {
    const r = parseCsv('a,b\n"Mama ""Asha"", Duka","line1\nline2"\n\nx,\n');
    expect(r).toEqual({
      ok: true,
      records: [
        { line: 1, fields: ['a', 'b'] },
        { line: 2, fields: ['Mama "Asha", Duka', 'line1\nline2'] },
        { line: 5, fields: ['x', ''] },
      ],
    });
  });

  it('reads a last record without a line end, and empty fields', () => {
    expect(fields('a,,c')).toEqual([['a', '', 'c']]);
    expect(fields('')).toEqual([]);
  });

  it('refuses malformed quoting with the line', () => {
    expect(parseCsv('a\n"open')).toEqual({ ok: false, line: 2, reason: 'a quoted field is not closed' });
    expect(parseCsv('a\nb"c')).toEqual({ ok: false, line: 2, reason: 'a quote inside an unquoted field' });
    expect(parseCsv('"a"b')).toEqual({ ok: false, line: 1, reason: 'a closing quote must end its field' });
  });
});

import { describe, expect, it } from 'vitest';
import { csvField, csvLine, csvRecords } from './csv';

const all = (text: string, maxFields?: number) => [...csvRecords(text, maxFields)];
const fields = (text: string) =>
  all(text).map((x) => {
    if ('reason' in x) throw new Error(x.reason);
    return x.fields;
  });

describe('csvRecords', () => {
  it('reads plain records with LF or CRLF ends and a BOM', () => {
    expect(fields('\uFEFFname,phone\r\nAsha,0754000001\nJuma,0754000002\n')).toEqual([
      ['name', 'phone'],
      ['Asha', '0754000001'],
      ['Juma', '0754000002'],
    ]);
  });

  it('keeps quoted commas, quotes and line breaks, and counts lines', () => {
    expect(all('a,b\n"Mama ""Asha"", Duka","line1\nline2"\n\nx,\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['Mama "Asha", Duka', 'line1\nline2'] },
      { line: 5, fields: ['x', ''] },
    ]);
  });

  it('reads a last record without a line end, and empty fields', () => {
    expect(fields('a,,c')).toEqual([['a', '', 'c']]);
    expect(fields('')).toEqual([]);
  });

  it('ends malformed quoting with a fault naming the line', () => {
    expect(all('a\n"open')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, reason: 'a quoted field is not closed' },
    ]);
    expect(all('a\nb"c\nd')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, reason: 'a quote inside an unquoted field' },
    ]);
    expect(all('"a"b')).toEqual([{ line: 1, reason: 'a closing quote must end its field' }]);
  });

  it('reads only as far as it is asked: a record is given before what follows it is read', () => {
    const records = csvRecords(`a\nb\n"${'x\n'.repeat(1000)}`);
    expect(records.next().value).toEqual({ line: 1, fields: ['a'] });
    expect(records.next().value).toEqual({ line: 2, fields: ['b'] });
    expect(records.next().value).toEqual({ line: 3, reason: 'a quoted field is not closed' });
    expect(records.next().done).toBe(true);
  });

  it('keeps at most maxFields + 1 fields of a record, reading past the rest', () => {
    expect(all(`a,b\n${'x,'.repeat(1_000_000)}"q"\nc,d`, 2)).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x', 'x', 'x'] },
      { line: 3, fields: ['c', 'd'] },
    ]);
    expect(all('"a,b",c,"d\n"""', 2)).toEqual([{ line: 1, fields: ['a,b', 'c', 'd\n"'] }]);
  });
});

describe('csvLine', () => {
  it('quotes fields with commas, quotes and line breaks, ends in CRLF, and reads back as written', () => {
    const cells = ['Mama "Asha", Duka', 'line1\nline2', 'cr\rhere', 'plain', '', null, 10.5, 0, 'Élodie 😀'];
    const line = csvLine(cells);
    expect(line).toBe('"Mama ""Asha"", Duka","line1\nline2","cr\rhere",plain,,,10.5,0,Élodie 😀\r\n');
    expect(fields(line + line)).toEqual([
      ['Mama "Asha", Duka', 'line1\nline2', 'cr\rhere', 'plain', '', '', '10.5', '0', 'Élodie 😀'],
      ['Mama "Asha", Duka', 'line1\nline2', 'cr\rhere', 'plain', '', '', '10.5', '0', 'Élodie 😀'],
    ]);
  });

  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('writes text a spreadsheet would run as a formula as text: %j', (text, written) => {
    expect(csvField(text)).toBe(written);
  });

  it.each([
    ['+255754000111', '+255754000111'],
    ['-10.5', '-10.5'],
    ['10', '10'],
    ['a=b', 'a=b'],
  ])('leaves numbers and text that starts otherwise as they are: %j', (text, written) => {
    expect(csvField(text)).toBe(written);
    expect(csvField(-10.5)).toBe('-10.5');
  });
});

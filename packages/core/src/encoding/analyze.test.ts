import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';

describe('analyzeMessage', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 1],
    ['one char', 'a', 'GSM-7', 1, 1],
    ['160 GSM-7', 'a'.repeat(160), 'GSM-7', 160, 1],
    ['161 GSM-7', 'a'.repeat(161), 'GSM-7', 161, 2],
    ['306 GSM-7', 'a'.repeat(306), 'GSM-7', 306, 2],
    ['307 GSM-7', 'a'.repeat(307), 'GSM-7', 307, 3],
    ['extension counts 2', '€'.repeat(80), 'GSM-7', 160, 1],
    ['extension over 160', `${'€'.repeat(80)}a`, 'GSM-7', 161, 2],
    ['70 UCS-2', 'ж'.repeat(70), 'UCS-2', 70, 1],
    ['71 UCS-2', 'ж'.repeat(71), 'UCS-2', 71, 2],
    ['134 UCS-2', 'ж'.repeat(134), 'UCS-2', 134, 2],
    ['135 UCS-2', 'ж'.repeat(135), 'UCS-2', 135, 3],
    ['Swahili is GSM-7', 'Habari yako? Karibu Mifumo, asante sana!', 'GSM-7', 40, 1],
    ['CR LF are GSM-7', 'a\r\nb', 'GSM-7', 4, 1],
    ['emoji is UCS-2', 'Hi 😀', 'UCS-2', 5, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    const a = analyzeMessage(text);
    expect(a).toMatchObject({ encoding, units, segments });
    expect(a.parts.join('')).toBe(text);
    expect(a.parts).toHaveLength(segments);
  });

  it('never splits an escape pair: an extension character at septet 153 moves to the next part', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    const a = analyzeMessage(text);
    expect(a.units).toBe(164);
    expect(a.parts[0]).toBe('a'.repeat(152));
    expect(a.parts[1]!.startsWith('€')).toBe(true);
  });

  it('never splits a surrogate pair: an emoji at unit 67 moves to the next part', () => {
    const text = `${'ж'.repeat(66)}😀${'ж'.repeat(10)}`;
    const a = analyzeMessage(text);
    expect(a.parts[0]).toBe('ж'.repeat(66));
    expect(a.parts[1]!.startsWith('😀')).toBe(true);
  });

  it('names the characters that forced UCS-2', () => {
    expect(analyzeMessage('Bei “nafuu” 😀😀').nonGsmCharacters).toEqual(['“', '”', '😀']);
    expect(analyzeMessage('plain').nonGsmCharacters).toEqual([]);
  });
});

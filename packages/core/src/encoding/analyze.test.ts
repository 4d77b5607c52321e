import { describe, expect, it } from 'vitest';
import { analyzeMessage } from './analyze';

const a = (n: number) => 'a'.repeat(n);
const zh = (n: number) => '中'.repeat(n);

describe('analyzeMessage: encoding, units and segments at every boundary', () => {
  it.each([
    ['empty', '', 'GSM-7', 0, 1],
    ['160 GSM-7', a(160), 'GSM-7', 160, 1],
    ['161 GSM-7', a(161), 'GSM-7', 161, 2],
    ['306 GSM-7 (2 × 153)', a(306), 'GSM-7', 306, 2],
    ['307 GSM-7', a(307), 'GSM-7', 307, 3],
    ['459 GSM-7 (3 × 153)', a(459), 'GSM-7', 459, 3],
    ['escaped characters count 2', '€'.repeat(80), 'GSM-7', 160, 1],
    ['one more septet', `${'€'.repeat(80)}a`, 'GSM-7', 161, 2],
    ['70 UCS-2', zh(70), 'UCS-2', 70, 1],
    ['71 UCS-2', zh(71), 'UCS-2', 71, 2],
    ['134 UCS-2 (2 × 67)', zh(134), 'UCS-2', 134, 2],
    ['135 UCS-2', zh(135), 'UCS-2', 135, 3],
    ['CR LF are GSM-7', 'a\r\nb\n', 'GSM-7', 5, 1],
    ['Swahili', 'Habari za asubuhi? Karibu sana Mifumo, asante!', 'GSM-7', 46, 1],
    ['Arabic', 'مرحبا بكم في ميفومو', 'UCS-2', 19, 1],
    ['Chinese', '欢迎使用短信网关', 'UCS-2', 8, 1],
    ['emoji is two UTF-16 units', 'Hi 😀', 'UCS-2', 5, 1],
    ['combining mark forces UCS-2', 'e\u0301', 'UCS-2', 2, 1],
    ['GSM-7 accented letters stay GSM-7', 'èéùìòÇØøÅåÆæßÉÄÖÑÜäöñüà', 'GSM-7', 23, 1],
    ['ç (lower case) is not in the default alphabet', 'ç', 'UCS-2', 1, 1],
  ])('%s', (_name, text, encoding, units, segments) => {
    const r = analyzeMessage(text);
    expect(r).toMatchObject({ encoding, units, segments, text });
    expect(r.parts.join('')).toBe(text);
    expect(r.parts).toHaveLength(segments);
  });

  it('every part fits its segment', () => {
    for (const text of [a(1000), zh(500), '€'.repeat(300), '😀'.repeat(200)]) {
      const r = analyzeMessage(text);
      const limit = r.encoding === 'GSM-7' ? 153 : 67;
      for (const p of r.parts) expect(analyzeMessage(p.repeat(1)).units).toBeLessThanOrEqual(limit);
    }
  });
});

describe('splitting', () => {
  it('an extension character at septet 153 moves whole to the next part', () => {
    const r = analyzeMessage(`${a(152)}€${a(10)}`);
    expect(r.parts).toEqual([a(152), `€${a(10)}`]);
  });

  it('an emoji at unit 67 moves whole to the next part', () => {
    const r = analyzeMessage(`${zh(66)}😀${zh(10)}`);
    expect(r.parts).toEqual([zh(66), `😀${zh(10)}`]);
  });

  it('keeps a ZWJ family emoji in one part when that costs no extra segment', () => {
    const family = '👨‍👩‍👧‍👦'; // 11 UTF-16 units
    const r = analyzeMessage(`${zh(60)}${family}${zh(20)}`);
    expect(r.segments).toBe(2);
    expect(r.parts[0]).toBe(zh(60));
    expect(r.parts[1]!.startsWith(family)).toBe(true);
  });

  it('keeps a flag and a skin-toned emoji whole', () => {
    const flag = '🇹🇿';
    const r = analyzeMessage(`${zh(65)}${flag}👍🏾${zh(10)}`);
    expect(r.parts[0]).toBe(zh(65));
    expect(r.parts[1]!.startsWith(`${flag}👍🏾`)).toBe(true);
  });

  it('keeps a letter with its combining marks together', () => {
    const r = analyzeMessage(`${zh(66)}e\u0301${zh(10)}`);
    expect(r.parts[0]).toBe(zh(66));
    expect(r.parts[1]!.startsWith('e\u0301')).toBe(true);
  });

  it('splits inside a sequence only when keeping it whole would cost another segment', () => {
    const family = '👨‍👩‍👧‍👦';
    const text = `${zh(62)}${family}${zh(61)}`; // 134 units: exactly 2 segments only if the family is split
    const r = analyzeMessage(text);
    expect(r.segments).toBe(2);
    expect(r.parts.join('')).toBe(text);
  });
});

it('serialises with its parts and characters, which are built when first read', () => {
  const json = JSON.parse(JSON.stringify(analyzeMessage(`${'ж'.repeat(70)}x`)));
  expect(json).toMatchObject({ encoding: 'UCS-2', segments: 2, nonGsmCharacters: ['ж'] });
  expect(json.parts.map((p: string) => p.length)).toEqual([67, 4]);
});

describe('why UCS-2', () => {
  it('names the characters that forced it, once each', () => {
    expect(analyzeMessage('Bei “nafuu” 😀😀').nonGsmCharacters).toEqual(['“', '”', '😀']);
    expect(analyzeMessage('plain').nonGsmCharacters).toEqual([]);
  });
});

describe('smart encoding', () => {
  it('is off by default', () => {
    expect(analyzeMessage('It’s “great” – really…').encoding).toBe('UCS-2');
  });

  it('replaces look-alikes when they are the only reason for UCS-2, and reports them', () => {
    const r = analyzeMessage('It’s “great” – really…\u00a0ok', { smartEncoding: true });
    expect(r).toMatchObject({ encoding: 'GSM-7', text: 'It\'s "great" - really... ok', segments: 1 });
    expect(r.replacements).toEqual([
      { from: '’', to: "'", count: 1 },
      { from: '“', to: '"', count: 1 },
      { from: '”', to: '"', count: 1 },
      { from: '–', to: '-', count: 1 },
      { from: '…', to: '...', count: 1 },
      { from: '\u00a0', to: ' ', count: 1 },
    ]);
  });

  it('leaves the text alone when other characters need UCS-2 anyway', () => {
    const r = analyzeMessage('“Hi” 😀', { smartEncoding: true });
    expect(r).toMatchObject({ encoding: 'UCS-2', text: '“Hi” 😀', replacements: [] });
  });
});

describe('national language single shift tables', () => {
  it('are used only when the carrier declares them', () => {
    expect(analyzeMessage('Çok güzel, teşekkürler! ğış').encoding).toBe('UCS-2');
    const r = analyzeMessage('Çok güzel, teşekkürler! ğış', { nationalLanguages: ['turkish'] });
    expect(r).toMatchObject({
      encoding: 'GSM-7',
      nationalLanguage: 'turkish',
      units: 31,
      unitsPerSegment: 155,
    });
  });

  it('Spanish: á í ó ú escape through the Spanish table', () => {
    const r = analyzeMessage('¿Cómo está? Aquí, sí.', { nationalLanguages: ['spanish'] });
    expect(r).toMatchObject({ encoding: 'GSM-7', nationalLanguage: 'spanish', units: 21 + 4 });
  });

  it('Portuguese: ã õ ê ç', () => {
    const r = analyzeMessage('Não, obrigação: você é ótimo', {
      nationalLanguages: ['spanish', 'portuguese'],
    });
    expect(r).toMatchObject({ encoding: 'GSM-7', nationalLanguage: 'portuguese' });
  });

  it('count the 3-octet header: 155 septets in one segment, 149 per part', () => {
    const one = analyzeMessage(`ş${a(153)}`, { nationalLanguages: ['turkish'] });
    expect(one).toMatchObject({ units: 155, segments: 1 });
    const two = analyzeMessage(`ş${a(154)}`, { nationalLanguages: ['turkish'] });
    expect(two).toMatchObject({ units: 156, segments: 2, unitsPerSegment: 149 });
    expect(two.parts[0]).toBe(`ş${a(147)}`);
  });

  it('the default alphabet wins when it fits: no header to pay', () => {
    expect(analyzeMessage('Hello', { nationalLanguages: ['turkish'] }).nationalLanguage).toBeNull();
  });

  it('fall back to UCS-2 when no table covers the text', () => {
    expect(analyzeMessage('ş and ã', { nationalLanguages: ['turkish', 'portuguese'] }).encoding).toBe(
      'UCS-2',
    );
  });
});

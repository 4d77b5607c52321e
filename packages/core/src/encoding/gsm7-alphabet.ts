/**
 * 3GPP TS 23.038 §6.2.1: the GSM 7-bit default alphabet (index = septet value; 0x1B is the escape)
 * and §6.2.1.1, its default extension table (character → septet value after the escape).
 */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

export const GSM7_ESCAPE = 0x1b;

export const GSM7_EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

/** An escape table: the default extension, or a national language single shift table. */
export interface ShiftTable {
  /** National language identifier of TS 23.038 §6.2.1.2.4 (0 for the default extension). */
  id: number;
  chars: ReadonlyMap<string, number>;
  /** Septets per UTF-16 code unit: 1 basic, 2 through the escape, 0 not encodable. */
  septets: Uint8Array;
  /** Septet value after the escape → character, for decoding. */
  byCode: ReadonlyMap<number, string>;
}

/** Builds the septet lookup of the basic alphabet combined with `chars` behind the escape. */
export function shiftTable(id: number, chars: ReadonlyMap<string, number>): ShiftTable {
  let max = 0;
  for (const ch of GSM7_BASIC) max = Math.max(max, ch.charCodeAt(0));
  for (const ch of chars.keys()) max = Math.max(max, ch.charCodeAt(0));
  const septets = new Uint8Array(max + 1);
  for (let i = 0; i < GSM7_BASIC.length; i++) if (i !== GSM7_ESCAPE) septets[GSM7_BASIC.charCodeAt(i)] = 1;
  for (const ch of chars.keys()) septets[ch.charCodeAt(0)] = 2;
  return { id, chars, septets, byCode: new Map([...chars].map(([ch, code]) => [code, ch])) };
}

export const DEFAULT_TABLE = shiftTable(0, GSM7_EXTENSION);

/** A run of characters that are one septet in every table: letters, digits, space, CR, LF, usual punctuation. */
const PLAIN_RUN = /[A-Za-z0-9 \n\r!"#$%&'()*+,\-./:;<=>?@_]*/y;
const NO_ESCAPES: number[] = [];

/**
 * Where `text` uses the escape (the index of each escaped character), or null when a character is not
 * in the table at all. A native regular expression skips the leading plain run (usually the whole
 * text); the table is consulted only from the first other character on.
 */
export function escapedPositions(text: string, table: ShiftTable = DEFAULT_TABLE): number[] | null {
  PLAIN_RUN.lastIndex = 0;
  PLAIN_RUN.test(text);
  const plain = PLAIN_RUN.lastIndex;
  if (plain === text.length) return NO_ESCAPES;
  const lookup = table.septets;
  const positions: number[] = [];
  for (let i = plain; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const s = code < lookup.length ? lookup[code]! : 0;
    if (s === 0) return null;
    if (s === 2) positions.push(i);
  }
  return positions;
}

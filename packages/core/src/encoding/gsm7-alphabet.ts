/**
 * 3GPP TS 23.038 §6.2.1: the GSM 7-bit default alphabet and its extension table.
 * Index in BASIC is the septet value; position 0x1B is the escape to the extension table.
 */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: character → septet value that follows the 0x1B escape. */
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

export const GSM7_ESCAPE = 0x1b;

/** Septets per UTF-16 code unit: 1 for the basic table, 2 for the extension table, 0 for not GSM-7. */
const SEPTETS = (() => {
  let max = 0;
  for (const ch of GSM7_BASIC) max = Math.max(max, ch.charCodeAt(0));
  for (const ch of GSM7_EXTENSION.keys()) max = Math.max(max, ch.charCodeAt(0));
  const table = new Uint8Array(max + 1);
  for (let i = 0; i < GSM7_BASIC.length; i++) if (i !== GSM7_ESCAPE) table[GSM7_BASIC.charCodeAt(i)] = 1;
  for (const ch of GSM7_EXTENSION.keys()) table[ch.charCodeAt(0)] = 2;
  return table;
})();

/** Septets that the UTF-16 code unit `code` takes in GSM-7, or 0 when it is not in the alphabet. */
export function gsm7Septets(code: number): number {
  return code < SEPTETS.length ? SEPTETS[code]! : 0;
}

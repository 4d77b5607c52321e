/** UTF-16 big-endian octets, as SMPP data_coding 0x08 carries UCS-2 (surrogate pairs pass through). */
export function encodeUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

export function decodeUcs2(octets: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < octets.length; i += 2)
    out += String.fromCharCode((octets[i]! << 8) | octets[i + 1]!);
  return out;
}

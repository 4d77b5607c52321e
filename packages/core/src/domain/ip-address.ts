/**
 * What kind of address an IP is, for the webhook SSRF guard: null for an ordinary public address,
 * else why a webhook may not go there. Pure: the runtime resolves names, this only reads addresses.
 */
export function forbiddenAddress(ip: string): string | null {
  const v4 = parseIpv4(ip);
  if (v4 !== null) return forbiddenIpv4(v4);
  const v6 = parseIpv6(ip);
  if (v6 === null) return 'not an IP address';
  return forbiddenIpv6(v6);
}

type Range4 = [base: number, bits: number, reason: string];

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

/** Most specific first: the metadata address is link-local, but is named for what it is. */
const IPV4_RANGES: Range4[] = [
  [ip4(169, 254, 169, 254), 32, 'a cloud metadata address'],
  [ip4(100, 100, 100, 200), 32, 'a cloud metadata address'],
  [ip4(0, 0, 0, 0), 8, 'an unspecified ("this network") address'],
  [ip4(10, 0, 0, 0), 8, 'a private address'],
  [ip4(100, 64, 0, 0), 10, 'a shared (CGNAT) address'],
  [ip4(127, 0, 0, 0), 8, 'a loopback address'],
  [ip4(169, 254, 0, 0), 16, 'a link-local address'],
  [ip4(172, 16, 0, 0), 12, 'a private address'],
  [ip4(192, 0, 0, 0), 24, 'a reserved address'],
  [ip4(192, 0, 2, 0), 24, 'a documentation address'],
  [ip4(192, 168, 0, 0), 16, 'a private address'],
  [ip4(198, 18, 0, 0), 15, 'a benchmarking address'],
  [ip4(198, 51, 100, 0), 24, 'a documentation address'],
  [ip4(203, 0, 113, 0), 24, 'a documentation address'],
  [ip4(224, 0, 0, 0), 4, 'a multicast address'],
  [ip4(240, 0, 0, 0), 4, 'a reserved address'],
];

function forbiddenIpv4(n: number): string | null {
  for (const [base, bits, reason] of IPV4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === base) return reason;
  }
  return null;
}

function forbiddenIpv6(g: number[]): string | null {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h = 0, i = 0] = g;
  const embedded = ((h << 16) >>> 0) + i;
  if (a === 0 && b === 0 && c === 0 && d === 0) {
    if (e === 0 && f === 0xffff) return 'an IPv4-mapped IPv6 address';
    if (e === 0 && f === 0 && h === 0 && i <= 1)
      return i === 1 ? 'a loopback address' : 'an unspecified address';
    if (e === 0 && f === 0) return 'an IPv4-compatible IPv6 address';
    if (e === 0xffff && f === 0) return 'an IPv4-translated IPv6 address';
  }
  // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds; local-use NAT64 (64:ff9b:1::/48) reaches
  // whatever the local translator is set up for.
  if (a === 0x64 && b === 0xff9b && c === 0 && d === 0 && e === 0 && f === 0) return forbiddenIpv4(embedded);
  if (a === 0x64 && b === 0xff9b && c === 1) return 'a local-use NAT64 address';
  // 6to4 (2002::/16) reaches the IPv4 address in its second and third groups.
  if (a === 0x2002) return forbiddenIpv4(((b << 16) >>> 0) + c);
  if (a === 0xfd00 && b === 0x0ec2 && c === 0 && d === 0 && e === 0 && f === 0 && h === 0 && i === 0x254)
    return 'a cloud metadata address';
  if ((a & 0xfe00) === 0xfc00) return 'a private (unique local) address';
  if ((a & 0xffc0) === 0xfe80) return 'a link-local address';
  if ((a & 0xffc0) === 0xfec0) return 'a site-local address';
  if ((a & 0xff00) === 0xff00) return 'a multicast address';
  if (a === 0x2001 && b === 0x0db8) return 'a documentation address';
  return null;
}

/** `a.b.c.d` with four decimal parts 0–255, as an unsigned 32-bit number. */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

/** An IPv6 address (with `::`, an embedded dotted IPv4 tail or a `%zone`) as its eight 16-bit groups. */
export function parseIpv6(text: string): number[] | null {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!/^[0-9a-fA-F:.]+$/.test(address)) return null;
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k]!;
      if (k === pieces.length - 1 && p.includes('.')) {
        const v4 = parseIpv4(p);
        if (v4 === null) return null;
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  return [...head, ...Array<number>(missing).fill(0), ...tail];
}

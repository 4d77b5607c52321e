import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddressReader } from './client-address';

/** The address `clientAddressReader` reads from a request with these headers (the socket's is 192.0.2.1). */
async function addressOf(header: string | null, trustedProxies: number, headers: Record<string, string>) {
  const read = clientAddressReader({ header, trustedProxies }, () => '192.0.2.1');
  const app = new Hono().get('/', (c) => c.text(read(c)));
  return (await app.request('/', { headers })).text();
}

describe('clientAddressReader', () => {
  it.each([
    // [X-Forwarded-For as received, trusted proxies, the address taken]
    ['198.51.100.7', 1, '198.51.100.7'],
    // The client wrote its own first entry; the one proxy appended the address it saw.
    ['6.6.6.6, 198.51.100.7', 1, '198.51.100.7'],
    ['6.6.6.6,198.51.100.7', 1, '198.51.100.7'],
    ['6.6.6.6, 198.51.100.7, 10.0.0.2', 2, '198.51.100.7'],
    ['1.1.1.1, 6.6.6.6, 198.51.100.7, 10.0.0.2, 10.0.0.3', 3, '198.51.100.7'],
    // Fewer entries than proxies: the furthest one known.
    ['198.51.100.7, 10.0.0.2', 3, '198.51.100.7'],
    [' 2001:db8::1 ', 1, '2001:db8::1'],
  ] as const)('X-Forwarded-For %j with %i trusted proxies reads %s', async (xff, proxies, expected) => {
    expect(await addressOf('X-Forwarded-For', proxies, { 'X-Forwarded-For': xff })).toBe(expected);
  });

  it('reads the socket address without a configured header, or when the header is absent or empty', async () => {
    expect(await addressOf(null, 1, { 'X-Forwarded-For': '6.6.6.6' })).toBe('192.0.2.1');
    expect(await addressOf('X-Forwarded-For', 1, {})).toBe('192.0.2.1');
    expect(await addressOf('X-Forwarded-For', 1, { 'X-Forwarded-For': ' , ' })).toBe('192.0.2.1');
  });

  it('reads a single-address header such as X-Real-IP as it is', async () => {
    expect(await addressOf('X-Real-IP', 1, { 'X-Real-IP': '198.51.100.7' })).toBe('198.51.100.7');
  });

  it('answers unknown when nothing says', async () => {
    const read = clientAddressReader({ header: null, trustedProxies: 1 });
    const app = new Hono().get('/', (c) => c.text(read(c)));
    expect(await (await app.request('/')).text()).toBe('unknown');
  });
});

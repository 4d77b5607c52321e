import type { Context } from 'hono';

/**
 * Reads the client's address. Behind proxies that append to a configured header (`X-Forwarded-For`),
 * it is the entry `trustedProxies` from the end: the one the outermost trusted proxy saw (entries to
 * its left are whatever the client wrote, so they are never read); with fewer entries, the first. A
 * single-address header such as `X-Real-IP` reads as it is. Without the header, what the runtime knows
 * of the socket, else `unknown`.
 */
export function clientAddressReader(
  from: { header: string | null; trustedProxies: number },
  fromRuntime?: (c: Context) => string | undefined,
) {
  return (c: Context): string => {
    const entries = from.header === null ? [] : (c.req.header(from.header)?.split(',') ?? []);
    const given = entries.map((e) => e.trim()).filter(Boolean);
    const forwarded = given[Math.max(0, given.length - from.trustedProxies)];
    return forwarded || fromRuntime?.(c) || 'unknown';
  };
}

import type { Context } from 'hono';

/**
 * Reads the client's address: the first entry of a configured header when the gateway stands behind a
 * proxy that sets it, else what the runtime knows of the socket, else `unknown`.
 */
export function clientAddressReader(header: string | null, fromRuntime?: (c: Context) => string | undefined) {
  return (c: Context): string => {
    const forwarded = header === null ? undefined : c.req.header(header)?.split(',')[0]?.trim();
    return forwarded || fromRuntime?.(c) || 'unknown';
  };
}

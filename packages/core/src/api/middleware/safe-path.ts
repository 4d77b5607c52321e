import type { MiddlewareHandler } from 'hono';
import { unsafeText } from '../../domain/safe-text';
import { GatewayError } from '../../errors';

/** Refuses a path holding U+0000 or an unpaired surrogate (e.g. `%00` in an id) before any route reads it. */
export function safePath(): MiddlewareHandler {
  return async function safePathMiddleware(c, next) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(c.req.path);
    } catch {
      decoded = c.req.path; // not valid percent-encoding: Hono keeps the raw text, which holds nothing unsafe
    }
    const why = unsafeText(decoded);
    if (why !== null)
      throw new GatewayError('VALIDATION_ERROR', 'Invalid path', [{ field: 'path', message: why }]);
    await next();
  };
}

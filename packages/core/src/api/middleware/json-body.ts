import type { MiddlewareHandler } from 'hono';
import { GatewayError } from '../../errors';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** Requires a JSON body: 415 for another content type, 400 for an empty or malformed one. */
export function jsonBody(): MiddlewareHandler {
  return async function jsonBodyMiddleware(c, next) {
    const type = c.req.header('content-type');
    if (!type || !JSON_TYPE.test(type))
      throw new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON with Content-Type: application/json',
        {
          content_type: type ?? null,
        },
      );
    const text = await c.req.text();
    if (text.trim() === '')
      throw new GatewayError('INVALID_JSON', 'The request body is empty; a JSON object is expected');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      throw new GatewayError('INVALID_JSON', 'The request body is not valid JSON', (e as Error).message);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new GatewayError('INVALID_JSON', 'The request body must be a JSON object');
    // Later readers (the validator) get the parsed body from Hono's cache.
    (c.req as unknown as { bodyCache: Record<string, unknown> }).bodyCache.json = Promise.resolve(body);
    await next();
  };
}

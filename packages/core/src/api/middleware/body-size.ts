import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../../errors';

/**
 * A runtime's own way to read a request's body whole, up to `maxBytes` (null: it is larger), leaving
 * it readable through `c.req.raw` afterwards; undefined when it cannot here (the Fetch API's way is
 * taken). Node's reads its IncomingMessage without making a web stream and a `Request` of it.
 */
export type BodyReader = (c: Context, maxBytes: number) => Promise<Uint8Array | null> | undefined;

const utf8 = new TextDecoder();

/** Where `sizeLimit` keeps the body a runtime's reader read (`c.get`). */
const BODY = 'mifumo.body';

/**
 * Refuses a body over `maxSize` bytes with PAYLOAD_TOO_LARGE; `counts` (awaited first) is what a
 * refused body also counts against, and may refuse it in its own way. With a runtime's `readBody`,
 * the body is read here and kept for `bodyText`; GET and HEAD carry none.
 */
export function sizeLimit(
  maxSize: number,
  options: { readBody?: BodyReader | undefined; counts?: (c: Context) => Promise<void> } = {},
): MiddlewareHandler {
  const { readBody, counts } = options;
  const refuse = async (c: Context) => {
    await counts?.(c);
    // The rest of the body is not read, so the connection cannot carry another request: say so.
    throw new GatewayError(
      'PAYLOAD_TOO_LARGE',
      `The request body is larger than ${maxSize} bytes`,
      { max_bytes: maxSize },
      { Connection: 'close' },
    );
  };
  const byFetchApi = bodyLimit({ maxSize, onError: refuse });
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const reading = readBody?.(c, maxSize);
    if (!reading) return byFetchApi(c, next);
    const body = await reading;
    if (body === null) return refuse(c);
    c.set(BODY, body);
    return next();
  };
}

/** The request body as text (UTF-8): as `sizeLimit` read it, else through the Fetch API. */
export async function bodyText(c: Context): Promise<string> {
  const body: unknown = c.get(BODY);
  return body instanceof Uint8Array ? utf8.decode(body) : c.req.text();
}

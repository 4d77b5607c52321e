import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../../errors';

/**
 * Refuses a body over `maxSize` bytes with PAYLOAD_TOO_LARGE; `counts` (awaited first) is what a
 * refused body also counts against, and may refuse it in its own way.
 */
export function sizeLimit(maxSize: number, counts?: (c: Context) => Promise<void>): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: async (c) => {
      await counts?.(c);
      // The rest of the body is not read, so the connection cannot carry another request: say so.
      throw new GatewayError(
        'PAYLOAD_TOO_LARGE',
        `The request body is larger than ${maxSize} bytes`,
        { max_bytes: maxSize },
        { Connection: 'close' },
      );
    },
  });
}

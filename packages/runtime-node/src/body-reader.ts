import type { IncomingMessage } from 'node:http';
import type { BodyReader } from '@mifumo/core';

/** @hono/node-server reads `rawBody` (a Buffer) as the body of `c.req.raw` when it is there. */
type Incoming = IncomingMessage & { rawBody?: Buffer };

/**
 * Reads a request body straight from the IncomingMessage @hono/node-server hands over as `c.env.incoming`:
 * chunks into one Buffer, without the web stream, `Request` and `AbortController` the Fetch API's way
 * makes per request. The Buffer stays as `rawBody`, so `c.req.raw` (form posts, carriers' callbacks)
 * still reads it. Not served by @hono/node-server, or already read through `c.req`: undefined.
 */
export const nodeBodyReader: BodyReader = (c, maxBytes) => {
  const incoming = (c.env as { incoming?: Incoming } | undefined)?.incoming;
  if (typeof incoming?.on !== 'function') return undefined;
  if (incoming.rawBody instanceof Buffer)
    return Promise.resolve(incoming.rawBody.length > maxBytes ? null : incoming.rawBody);
  if (incoming.readableDidRead || incoming.readableEnded) return undefined;
  return new Promise<Buffer | null>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', data);
      incoming.off('end', end);
      incoming.off('error', failed);
      incoming.off('close', closed);
    };
    const data = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else {
        // The rest is left unread: the answer closes the connection.
        done();
        resolve(null);
      }
    };
    const end = () => {
      done();
      incoming.rawBody = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      resolve(incoming.rawBody);
    };
    const failed = (e: Error) => {
      done();
      reject(e);
    };
    const closed = () => failed(new Error('The client closed the connection before the body ended'));
    incoming.on('data', data);
    incoming.on('end', end);
    incoming.on('error', failed);
    incoming.on('close', closed);
  });
};

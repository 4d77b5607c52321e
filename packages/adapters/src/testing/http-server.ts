import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an aggregator stand-in does with the next send instead of accepting it. */
export type PeerFault = 'retryable' | 'permanent' | 'hold';

export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, base: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
}

async function send(res: ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/**
 * A real HTTP server on loopback around a fetch-style handler, on `port` (0: any free one); `close`
 * cuts connections still held.
 */
export async function serveLocal(
  handler: (request: Request) => Promise<Response> | Response,
  port = 0,
): Promise<LocalServer> {
  let base = '';
  const server = createServer((req, res) => {
    toRequest(req, base)
      .then(handler)
      .then((response) => send(res, response))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A server that keeps every request it gets (callbacks from an aggregator) and answers 200. */
export async function callbackReceiver() {
  const received: Request[] = [];
  const server = await serveLocal((request) => {
    received.push(request);
    return new Response('{}', { headers: { 'content-type': 'application/json' } });
  });
  return {
    ...server,
    /** The requests received since the last call. */
    take: () => received.splice(0),
  };
}

/** Resolves when `done()` holds (checked every 10 ms), or fails after 20 s (CI runs loaded). */
export async function until(done: () => boolean) {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 20_000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

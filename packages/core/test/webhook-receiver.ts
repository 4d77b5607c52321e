import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

export interface ReceivedWebhook {
  eventId: string;
  headers: Headers;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON
  json: any;
  /** The answer it got. */
  status: number;
}

/** A real HTTP server on loopback around `handler`, on `port` (0: any free one); `close` cuts connections still held. */
async function listen(handler: (request: Request) => Promise<Response>, port = 0) {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: handler, port, hostname: '127.0.0.1' }, () => resolve(started as Server));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * A real HTTP server on loopback that receives webhooks. `respond` chooses each answer (200 unless it
 * says otherwise, or a promise to answer late); `stop`/`restart` take it down and back up on the same port.
 */
export async function webhookReceiver(
  respond: (
    n: number,
    request: Request,
    // biome-ignore lint/suspicious/noExplicitAny: the webhook's JSON body
    json: any,
  ) => Response | undefined | Promise<Response | undefined> = () => undefined,
) {
  const received: ReceivedWebhook[] = [];
  let calls = 0;
  const handler = async (request: Request) => {
    const body = await request.text();
    const json = body ? JSON.parse(body) : null;
    const response = (await respond(++calls, request, json)) ?? new Response('ok');
    received.push({
      eventId: request.headers.get('x-mifumo-event-id') ?? '',
      headers: request.headers,
      body,
      json,
      status: response.status,
    });
    return response;
  };
  let server = await listen(handler);
  const { port } = server;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The requests answered 2xx. */
    succeeded: () => received.filter((r) => r.status >= 200 && r.status < 300),
    stop: () => server.close(),
    async restart() {
      server = await listen(handler, port);
    },
    close: () => server.close(),
  };
}

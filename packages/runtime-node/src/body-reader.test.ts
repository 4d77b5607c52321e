import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, expect, it } from 'vitest';
import { nodeBodyReader } from './body-reader';

let server: ServerType | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** Serves `app` as the gateway is served, and POSTs `body` (chunked when asked) to it. */
async function post(app: Hono, body: string, headers: Record<string, string> = {}) {
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  const res = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers });
  return res.json();
}

const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : b);

it('reads the body whole, and c.req still reads it afterwards (a form, a callback)', async () => {
  const app = new Hono().post('/', async (c) => {
    const read = await nodeBodyReader(c, 100);
    const again = await nodeBodyReader(c, 100);
    return c.json({ read: text(read), again: text(again), form: await c.req.parseBody() });
  });
  expect(
    await post(app, 'to=255754000111&text=Habari', {
      'content-type': 'application/x-www-form-urlencoded',
    }),
  ).toEqual({
    read: 'to=255754000111&text=Habari',
    again: 'to=255754000111&text=Habari',
    form: { to: '255754000111', text: 'Habari' },
  });
});

it('null for a body over the limit, counted as it streams (no Content-Length)', async () => {
  const app = new Hono().post('/', async (c) => c.json({ read: await nodeBodyReader(c, 10) }));
  const chunked = new ReadableStream({
    start(controller) {
      for (let i = 0; i < 5; i++) controller.enqueue(new TextEncoder().encode('0123456789'));
      controller.close();
    },
  });
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  const res = await fetch(`http://127.0.0.1:${port}/`, {
    method: 'POST',
    body: chunked,
    duplex: 'half',
  } as RequestInit);
  expect(await res.json()).toEqual({ read: null });
});

it('leaves a body already read through c.req (or a request not from Node) to the Fetch API', async () => {
  const app = new Hono().post('/', async (c) => {
    const first = await c.req.text();
    return c.json({ first, reader: nodeBodyReader(c, 100) === undefined });
  });
  expect(await post(app, 'hello')).toEqual({ first: 'hello', reader: true });
  const bare = new Hono().post('/', (c) => c.json({ reader: nodeBodyReader(c, 100) === undefined }));
  const res = await bare.request('/', { method: 'POST', body: 'x' });
  expect(await res.json()).toEqual({ reader: true });
});

import { lookup as dnsLookup } from 'node:dns';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { createFakeCarrier, createMifumo, migrateToLatest } from '@mifumo/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { nodeWebhookTransport } from './webhook-transport';

/** A resolver that answers every name with `addresses` (as a hostile DNS server would). */
const resolvesTo =
  (...addresses: string[]): LookupFunction =>
  (_host, options, callback) => {
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) (callback as unknown as (e: null, a: typeof all) => void)(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A loopback HTTP server; `hits` are the requests it got. */
async function server(
  handle: (
    req: IncomingMessage,
    body: string,
  ) => { status: number; body?: string; headers?: Record<string, string> } | null = () => ({
    status: 200,
    body: 'ok',
  }),
) {
  const hits: { headers: IncomingMessage['headers']; body: string; remotePort: number | undefined }[] = [];
  const s = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    hits.push({ headers: req.headers, body, remotePort: req.socket.remotePort });
    const answer = handle(req, body);
    if (answer === null) return; // never answers
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body ?? '');
  });
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return { port: (s.address() as AddressInfo).port, hits };
}

const post = (url: string, timeoutMs = 2000) => ({
  url,
  headers: { 'Content-Type': 'application/json', 'X-Mifumo-Event-Id': 'wh_1' },
  body: '{"status":"sent"}',
  timeoutMs,
});

describe('the Node webhook transport without allowPrivateNetworks', () => {
  const guarded = (lookup?: LookupFunction) =>
    nodeWebhookTransport({ allowPrivateNetworks: false, ...(lookup ? { lookup } : {}) });

  it('refuses a name that resolves to 127.0.0.1, without connecting', async () => {
    const { port, hits } = await server();
    const answer = await guarded(resolvesTo('127.0.0.1'))(post(`http://hooks.example.test:${port}/in`));
    expect(answer).toEqual({ refused: 'hooks.example.test resolves to 127.0.0.1, a loopback address' });
    expect(hits).toHaveLength(0);
  });

  it('refuses a name when any of its addresses is internal (a rebinding answer mixes them)', async () => {
    const answer = await guarded(resolvesTo('93.184.216.34', '169.254.169.254'))(
      post('http://rebind.example.test/'),
    );
    expect(answer).toEqual({
      refused: 'rebind.example.test resolves to 169.254.169.254, a cloud metadata address',
    });
    const mapped = await guarded(resolvesTo('::ffff:10.1.1.1'))(post('http://mapped.example.test/'));
    expect(mapped).toEqual({
      refused: 'mapped.example.test resolves to ::ffff:10.1.1.1, an IPv4-mapped IPv6 address',
    });
  });

  it('resolves with the system resolver by default: localhost by name is refused before any lookup', async () => {
    const { port, hits } = await server();
    expect(await guarded()(post(`http://localhost:${port}/`))).toEqual({
      refused: 'localhost is an internal name',
    });
    expect(await guarded()(post(`http://127.0.0.1:${port}/`))).toEqual({
      refused: '127.0.0.1 is a loopback address',
    });
    expect(await guarded()(post(`http://[::ffff:127.0.0.1]:${port}/`))).toEqual({
      refused: '[::ffff:7f00:1] is an IPv4-mapped IPv6 address',
    });
    expect(await guarded()(post('http://169.254.169.254/latest/meta-data/'))).toEqual({
      refused: '169.254.169.254 is a cloud metadata address',
    });
    expect(hits).toHaveLength(0);
    // A real lookup of a name for loopback (the system resolver knows `localhost`), under another name.
    const viaSystem: LookupFunction = (_host, options, callback) => dnsLookup('localhost', options, callback);
    const answer = await guarded(viaSystem)(post(`http://my-hooks.example.test:${port}/`));
    expect(answer).toMatchObject({
      refused: expect.stringMatching(
        /^my-hooks\.example\.test resolves to (127\.0\.0\.1|::1), a loopback address$/,
      ),
    });
  });
});

describe('the Node webhook transport', () => {
  const open = nodeWebhookTransport({ allowPrivateNetworks: true });

  it('POSTs the body and headers, and reads only the first KiB of a long answer', async () => {
    const { port, hits } = await server(() => ({ status: 200, body: 'x'.repeat(100_000) }));
    const answer = await open(post(`http://127.0.0.1:${port}/in`));
    expect(answer).toEqual({ status: 200, body: 'x'.repeat(1024) });
    expect(hits[0]).toMatchObject({
      body: '{"status":"sent"}',
      headers: { 'content-type': 'application/json', 'x-mifumo-event-id': 'wh_1', 'content-length': '17' },
    });
  });

  it('keeps the connection for the next webhook to the same receiver', async () => {
    const { port, hits } = await server();
    for (let i = 0; i < 3; i++)
      expect(await open(post(`http://127.0.0.1:${port}/in`))).toMatchObject({ status: 200 });
    expect(new Set(hits.map((h) => h.remotePort)).size).toBe(1);
  });

  it('does not follow a redirect', async () => {
    const target = await server();
    const { port } = await server(() => ({
      status: 307,
      headers: { location: `http://127.0.0.1:${target.port}/` },
    }));
    const answer = await open(post(`http://127.0.0.1:${port}/`));
    expect(answer).toEqual({ status: 307, body: '', location: `http://127.0.0.1:${target.port}/` });
    expect(target.hits).toHaveLength(0);
  });

  it('gives up after the timeout with a TimeoutError', async () => {
    const { port } = await server(() => null);
    await expect(open(post(`http://127.0.0.1:${port}/`, 150))).rejects.toMatchObject({
      name: 'TimeoutError',
      message: 'timed out after 150 ms',
    });
  });
});

it('a gateway records the refusal on the delivery and gives it up, when the name turns out internal', async () => {
  const database = openDatabase('file::memory:');
  await migrateToLatest(database.db);
  const mifumo = createMifumo({
    secret: 'ab'.repeat(32),
    storage: database,
    carriers: [createFakeCarrier({ id: 'dev', deliveryDelayMs: 0 })],
    webhookTransport: nodeWebhookTransport({ allowPrivateNetworks: false, lookup: resolvesTo('10.0.0.7') }),
    logger: { error: () => {} },
  });
  try {
    await mifumo.start();
    const account = await mifumo.admin.createAccount({ name: 'A', balance: 100 });
    await mifumo.webhooks.settings.update(account.id, { url: 'https://hooks.example.test/sms' });
    await mifumo.api.send(account.id, { message: 'x', recipients: ['+255754000111'] });
    await mifumo.dispatchDue();
    await mifumo.deliverWebhooksDue();
    const { deliveries } = await mifumo.webhooks.deliveries.list(account.id, { page: 1, per_page: 10 });
    expect(deliveries.find((d) => d.event === 'sent')).toMatchObject({
      status: 'failed',
      attempts: 1,
      last_error: 'Refused: hooks.example.test resolves to 10.0.0.7, a private address',
    });
  } finally {
    await mifumo.close();
    await database.close();
  }
});

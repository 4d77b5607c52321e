import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, ERROR_DETAILS } from '@mifumo/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway } from './gateway';

let gw: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-edge-')), 'e.db')}`,
      adminKey: 'mk_live_edges0123456789abcdef0123456789abcdefghi',
      initialBalance: 10,
      config: configSchema.parse({ maxBodyBytes: 1000 }),
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    { logger: { error: () => {} } },
  );
});
afterAll(() => gw.close());

/** Writes raw bytes and reads until the server closes the connection. */
function raw(text: string): Promise<string> {
  const { port } = new URL(gw.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => {
      out += d.toString();
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

it('headers over the limit: 431 in the envelope, then the connection closes', async () => {
  const reply = await raw(
    `GET /api/integration/v1/sms/balance HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
  );
  const [head, body] = reply.split('\r\n\r\n');
  expect(head).toMatch(/^HTTP\/1\.1 431 /);
  expect(head).toMatch(/Connection: close/i);
  expect(JSON.parse(body!)).toEqual({
    success: false,
    message: expect.any(String),
    data: null,
    error_code: 'HEADERS_TOO_LARGE',
    details: null,
  });
});

it('malformed HTTP: 400 in the envelope', async () => {
  const reply = await raw('NOT HTTP AT ALL\r\n\r\n');
  expect(reply).toMatch(/^HTTP\/1\.1 400 /);
  const body = JSON.parse(reply.split('\r\n\r\n')[1]!);
  expect(body).toMatchObject({ error_code: 'VALIDATION_ERROR' });
  expect(ERROR_DETAILS.VALIDATION_ERROR.parse(body.details)).toEqual([
    { field: '(request)', message: expect.stringContaining('is not valid HTTP') },
  ]);
});

it('a body over the limit: 413 that says Connection: close, in the envelope', async () => {
  const { port } = new URL(gw.url);
  const reply = await new Promise<{ status: number; connection: string | undefined; body: string }>(
    (resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/integration/v1/sms/send/',
          headers: { 'Content-Type': 'application/json', Connection: 'keep-alive' },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode!, connection: res.headers.connection, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ message: 'x'.repeat(5000), recipients: ['+255754000111'] }));
    },
  );
  expect(reply.status).toBe(413);
  expect(reply.connection).toBe('close');
  expect(JSON.parse(reply.body)).toMatchObject({
    error_code: 'PAYLOAD_TOO_LARGE',
    details: { max_bytes: 1000 },
  });
});

it('a request the adapter cannot read (a malformed Host): 400 in the envelope, not a bare status', async () => {
  for (const host of ['a b', '[::1']) {
    const reply = await raw(
      `GET /api/integration/v1/sms/balance HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
    );
    const [head, body] = reply.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(body!)).toMatchObject({
      success: false,
      error_code: 'VALIDATION_ERROR',
      details: [{ field: '(request)', message: expect.any(String) }],
    });
  }
});

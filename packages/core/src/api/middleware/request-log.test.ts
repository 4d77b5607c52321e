import { afterEach, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import type { LogFields } from '../../logger';

let g: TestGateway | undefined;
afterEach(() => g?.close());

it('names every request in X-Request-Id (the caller’s own when it is a plain token), answers or not, and logs a line per request', async () => {
  const lines: { message: string; fields: LogFields | undefined }[] = [];
  const errors: LogFields[] = [];
  g = await createTestGateway({
    logger: {
      error: (_m, _d, fields) => errors.push(fields ?? {}),
      info: (message, fields) => lines.push({ message, fields }),
    },
  });
  const at = (path: string, headers: Record<string, string> = {}) =>
    g!.mifumo.fetch(new Request(`http://127.0.0.1:8001${path}`, { headers }));
  const auth = { Authorization: `Bearer ${g.key}` };

  const given = await at('/api/integration/v1/sms/balance/', { ...auth, 'X-Request-Id': 'trace-42.a:b' });
  expect([given.status, given.headers.get('x-request-id')]).toEqual([200, 'trace-42.a:b']);
  const hostile = await at('/api/integration/v1/sms/balance/', { ...auth, 'X-Request-Id': 'a b<script>' });
  expect(hostile.headers.get('x-request-id')).toMatch(/^req_[\w-]{16}$/);
  for (const [path, status] of [
    ['/api/integration/v1/sms/balance/', 401], // no key
    ['/api/integration/v1/nothing-here/', 404],
    ['/healthz', 200],
    ['/', 200],
  ] as const) {
    const res = await at(path);
    expect([path, res.status, res.headers.get('x-request-id')]).toEqual([
      path,
      status,
      expect.stringMatching(/^req_/),
    ]);
  }
  expect(lines[0]).toEqual({
    message: 'GET /api/integration/v1/sms/balance/ 200',
    fields: {
      request_id: 'trace-42.a:b',
      account_id: g.account.id,
      method: 'GET',
      path: '/api/integration/v1/sms/balance/',
      status: 200,
      ms: expect.any(Number),
    },
  });
  expect(lines.map((l) => l.message)).toEqual([
    'GET /api/integration/v1/sms/balance/ 200',
    'GET /api/integration/v1/sms/balance/ 200',
    'GET /api/integration/v1/sms/balance/ 401',
    'GET /api/integration/v1/nothing-here/ 404',
    'GET /healthz 200',
    'GET / 200',
  ]);
  expect(lines[2]!.fields!.account_id).toBeUndefined();

  // A 500 is logged with its request and account, and answers with the same id.
  await g.database.close();
  const broken = await at('/api/integration/v1/sms/balance/', { ...auth, 'X-Request-Id': 'trace-500' });
  expect([broken.status, broken.headers.get('x-request-id')]).toEqual([500, 'trace-500']);
  expect(errors.at(-1)).toMatchObject({ request_id: 'trace-500' });
  await g.mifumo.close();
  g = undefined;
});

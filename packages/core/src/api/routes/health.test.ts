import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import type { CarrierAdapter } from '../../carriers/contract';
import { createFakeCarrier } from '../../carriers/fake';
import { ERROR_DETAILS } from '../../error-details';

let g: TestGateway | undefined;
afterEach(() => g?.close());

/** At the server's root, as a load balancer asks: no key. */
const get = async (path: string) => {
  const res = await g!.mifumo.fetch(new Request(`http://127.0.0.1:8001${path}`));
  return { status: res.status, json: await res.json() };
};

/** The fake carrier, its link in the state `link.state` says. */
function carrierIn(link: { state: 'bound' | 'connecting' | 'down' | 'ready' }): CarrierAdapter {
  const fake = createFakeCarrier({ id: 'dev', deliveryDelayMs: 0 });
  return { id: fake.id, type: fake.type, submit: (m, signal) => fake.submit(m, signal), status: () => link };
}

it('GET /healthz: the process answers, without a key', async () => {
  g = await createTestGateway();
  for (const path of ['/healthz', '/healthz/', '/healthz?probe=1'])
    expect(await get(path)).toEqual({
      status: 200,
      json: {
        success: true,
        message: 'The gateway answers',
        data: { status: 'ok' },
        error_code: null,
        details: null,
      },
    });
});

it('another method: 405 naming GET, in the envelope; HEAD answers as GET does', async () => {
  g = await createTestGateway();
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await g.mifumo.fetch(new Request('http://127.0.0.1:8001/readyz', { method }));
    expect([method, res.status, res.headers.get('allow')]).toEqual([method, 405, 'GET']);
    expect(await res.json()).toMatchObject({
      error_code: 'METHOD_NOT_ALLOWED',
      details: { allowed: ['GET'] },
    });
  }
  const head = await g.mifumo.fetch(new Request('http://127.0.0.1:8001/healthz', { method: 'HEAD' }));
  expect(head.status).toBe(200);
});

it('GET /readyz: ready with the database migrated and a carrier that takes traffic', async () => {
  g = await createTestGateway({ adapter: carrierIn({ state: 'bound' }) });
  const r = await get('/readyz');
  expect(r.status).toBe(200);
  expect(r.json.data).toEqual({
    ready: true,
    reasons: [],
    database: {
      reachable: true,
      migrations_applied: expect.any(Number),
      migrations_expected: expect.any(Number),
    },
    carriers: [{ id: 'dev', state: 'bound', takes_traffic: true }],
  });
  expect(r.json.data.database.migrations_applied).toBe(r.json.data.database.migrations_expected);
});

it('503 NOT_READY naming why: no carrier takes traffic, then a migration missing, then the database gone', async () => {
  const link = { state: 'down' as 'down' | 'ready' };
  g = await createTestGateway({ adapter: carrierIn(link) });
  const down = await get('/readyz');
  expect(down.status).toBe(503);
  expect(down.json).toMatchObject({
    success: false,
    error_code: 'NOT_READY',
    message: 'Not ready: no carrier can take traffic (dev: down)',
  });
  expect(ERROR_DETAILS.NOT_READY.parse(down.json.details).carriers).toEqual([
    { id: 'dev', state: 'down', takes_traffic: false },
  ]);

  link.state = 'ready';
  expect((await get('/readyz')).status).toBe(200);

  await sql`delete from mifumo_migrations where name = (select max(name) from mifumo_migrations)`.execute(
    g.database.db,
  );
  const behind = await get('/readyz');
  expect(behind.status).toBe(503);
  expect(behind.json.details.reasons).toEqual([
    expect.stringMatching(/^the database has (\d+) of \d+ migrations applied$/),
  ]);

  await g.database.db.destroy();
  const gone = await get('/readyz');
  expect(gone.status).toBe(503);
  expect(gone.json.details.database.reachable).toBe(false);
  expect(gone.json.details.reasons[0]).toMatch(/^the database does not answer: /);
  await g.mifumo.close(); // its database is closed already
  g = undefined;
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, gatewayOn, manualClock, type TestGateway } from '../../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway();
});
afterEach(() => g.close());

describe('key management', () => {
  it('creates a key shown once, lists without secrets, revokes at once', async () => {
    const created = await g.call('POST', '/v1/keys/', { body: { name: 'reporting', permissions: ['read'] } });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.json.data;
    expect(key).toMatch(/^mk_live_/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(created.json.data.permissions).toEqual(['read']);

    const list = await g.call('GET', '/v1/keys/');
    const listed = list.json.data.keys.find((k: { id: string }) => k.id === id);
    expect(listed).toMatchObject({ name: 'reporting', prefix, permissions: ['read'], revoked_at: null });
    expect(JSON.stringify(list.json)).not.toContain(key);
    expect(JSON.stringify(list.json)).not.toContain('key_hash');

    expect((await g.call('GET', '/v1/sms/balance/', { key })).status).toBe(200);
    const after = (await g.call('GET', '/v1/keys/')).json.data.keys.find((k: { id: string }) => k.id === id);
    expect(Date.parse(after.last_used_at)).not.toBeNaN();

    const revoked = await g.call('DELETE', `/v1/keys/${id}/`);
    expect(revoked.json).toMatchObject({ success: true, data: { id, revoked_at: expect.any(String) } });
    const denied = await g.call('GET', '/v1/sms/balance/', { key });
    expect(denied.status).toBe(401);
    expect(denied.json.error_code).toBe('INVALID_CREDENTIALS');
    expect((await g.call('DELETE', `/v1/keys/${id}/`)).status).toBe(404);
  });

  it('VALIDATION_ERROR for unknown permissions or no name', async () => {
    for (const body of [
      { name: 'x', permissions: ['root'] },
      { name: 'x', permissions: [] },
      { permissions: ['read'] },
    ]) {
      const r = await g.call('POST', '/v1/keys/', { body });
      expect(r.status).toBe(400);
      expect(r.json.error_code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('the last admin key', () => {
  it('cannot be revoked over HTTP: CONFLICT, and it still works', async () => {
    const keys = (await g.call('GET', '/v1/keys/')).json.data.keys;
    const r = await g.call('DELETE', `/v1/keys/${keys[0].id}/`);
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ error_code: 'CONFLICT', details: { reason: 'last_admin_key' } });
    expect((await g.call('GET', '/v1/sms/balance/')).status).toBe(200);
  });

  it('can be once another admin key exists; two admin keys revoked at once leave one', async () => {
    const second = await g.call('POST', '/v1/keys/', { body: { name: 'second', permissions: ['admin'] } });
    const first = (await g.call('GET', '/v1/keys/')).json.data.keys[0];
    const [a, b] = await Promise.all([
      g.call('DELETE', `/v1/keys/${first.id}/`, { key: second.json.data.key }),
      g.call('DELETE', `/v1/keys/${second.json.data.id}/`, { key: second.json.data.key }),
    ]);
    // One wins; the other is refused as the last admin key (409), or, when the winner revoked the very
    // key it is made with before it was checked, as a revoked key (401).
    expect([
      [200, 401],
      [200, 409],
    ]).toContainEqual([a.status, b.status].sort());
    const active = (await g.mifumo.admin.listKeys(g.account.id)).filter((k) => k.revoked_at === null);
    expect(active).toHaveLength(1);
  });

  it('a non-admin key is revoked as before, and the CLI may still revoke the last admin key', async () => {
    const reader = await g.call('POST', '/v1/keys/', { body: { name: 'r', permissions: ['read'] } });
    expect((await g.call('DELETE', `/v1/keys/${reader.json.data.id}/`)).status).toBe(200);
    const [only] = await g.mifumo.admin.listKeys(g.account.id);
    await expect(g.mifumo.admin.revokeKey(only!.id)).resolves.toMatchObject({ id: only!.id });
  });
});

describe('expiring and rotating keys', () => {
  it('refuses a key after its expires_at, and a past or offset-less one at creation', async () => {
    const clock = manualClock();
    const t = await createTestGateway({ clock, config: { auth: { cacheTtlMs: 60_000 } } });
    try {
      const at = new Date(clock.now() + 3_600_000).toISOString();
      const made = await t.call('POST', '/v1/keys/', {
        body: { name: 'temp', permissions: ['read'], expires_at: at },
      });
      expect(made.status).toBe(201);
      expect(made.json.data.expires_at).toBe(at);
      const key = made.json.data.key;
      expect((await t.call('GET', '/v1/sms/balance/', { key })).status).toBe(200);
      clock.advance(3_599_000);
      expect((await t.call('GET', '/v1/sms/balance/', { key })).status).toBe(200);
      // The cache (60 s here) keeps no key past its expiry.
      clock.advance(1_000);
      expect((await t.call('GET', '/v1/sms/balance/', { key })).status).toBe(401);

      for (const expires_at of ['2020-01-01T00:00:00Z', '2030-01-01T10:00:00', 'tomorrow']) {
        const r = await t.call('POST', '/v1/keys/', {
          body: { name: 'x', permissions: ['read'], expires_at },
        });
        expect(r.status, expires_at).toBe(400);
        expect(r.json.details).toMatchObject([{ field: 'expires_at' }]);
      }
    } finally {
      await t.close();
    }
  });

  it('rotates a key: a new key with the same name and permissions, the old one revoked at once', async () => {
    const old = (
      await g.call('POST', '/v1/keys/', { body: { name: 'shop', permissions: ['read', 'write'] } })
    ).json.data;
    expect((await g.call('GET', '/v1/sms/balance/', { key: old.key })).status).toBe(200);
    const r = await g.call('POST', `/v1/keys/${old.id}/rotate/`);
    expect(r.status).toBe(201);
    expect(r.json.data).toMatchObject({
      name: 'shop',
      permissions: ['read', 'write'],
      replaced: { id: old.id, revoked_at: expect.any(String) },
    });
    expect(r.json.data.key).not.toBe(old.key);
    expect((await g.call('GET', '/v1/sms/balance/', { key: r.json.data.key })).status).toBe(200);
    expect((await g.call('GET', '/v1/sms/balance/', { key: old.key })).status).toBe(401);
    expect((await g.call('POST', `/v1/keys/${old.id}/rotate/`)).status).toBe(404);
    const log = (await g.call('GET', '/v1/activity/?action=key.rotated')).json.data.activity;
    expect(log[0]).toMatchObject({
      subject: r.json.data.id,
      details: { replaced: old.id, grace_period_seconds: 0 },
    });
  });

  it('rotates with a grace period: the old key works until it ends; another account’s key is 404', async () => {
    const clock = manualClock();
    const t = await createTestGateway({ clock });
    try {
      const old = (await t.call('POST', '/v1/keys/', { body: { name: 'pos', permissions: ['read'] } })).json
        .data;
      const r = await t.call('POST', `/v1/keys/${old.id}/rotate/`, { body: { grace_period_seconds: 600 } });
      expect(r.json.data.replaced).toMatchObject({
        revoked_at: null,
        expires_at: new Date(clock.now() + 600_000).toISOString(),
      });
      expect((await t.call('GET', '/v1/sms/balance/', { key: old.key })).status).toBe(200);
      clock.advance(600_000);
      expect((await t.call('GET', '/v1/sms/balance/', { key: old.key })).status).toBe(401);
      expect((await t.call('GET', '/v1/sms/balance/', { key: r.json.data.key })).status).toBe(200);

      const other = await t.newAccount(10);
      const theirs = (await t.call('GET', '/v1/keys/', { key: other.key })).json.data.keys[0];
      expect((await t.call('POST', `/v1/keys/${theirs.id}/rotate/`)).status).toBe(404);
      expect((await t.call('GET', '/v1/sms/balance/', { key: other.key })).status).toBe(200);
      const bad = await t.call('POST', `/v1/keys/${old.id}/rotate/`, { body: { grace_period_seconds: 9e9 } });
      expect(bad.status).toBe(400);
    } finally {
      await t.close();
    }
  });
});

describe('query parameters', () => {
  it('are refused by name where a route takes none, or where one is unknown', async () => {
    const none = await g.call('GET', '/v1/sms/balance/?verbose=1');
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      message: 'This endpoint takes no query parameters: verbose',
      details: [{ field: 'verbose', message: 'unknown query parameter' }],
    });
    // The example: a mistyped parameter no longer returns unfiltered reports.
    const typo = await g.call('GET', '/v1/sms/delivery-reports/?status;=delivered');
    expect(typo.status).toBe(400);
    expect(typo.json.details).toEqual([{ field: 'status;', message: 'unknown field' }]);
    expect((await g.call('GET', '/v1/keys/?page=1&per_page=10')).status).toBe(200);
    expect((await g.call('GET', '/v1/contacts/search/?q=a&colour=red')).status).toBe(400);
    // Unauthenticated: the key is checked first.
    expect((await g.call('GET', '/v1/sms/balance/?verbose=1', { key: null })).status).toBe(401);
  });
});

describe.each(ENGINES)('key rotation on %s', (_engine, open) => {
  const gateway = gatewayOn(open);
  it('swaps the key in one step, with and without a grace period', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const made = (await t.call('POST', '/v1/keys/', { key, body: { name: 'a', permissions: ['read'] } })).json
      .data;
    const graced = await t.call('POST', `/v1/keys/${made.id}/rotate/`, {
      key,
      body: { grace_period_seconds: 60 },
    });
    expect(graced.status).toBe(201);
    expect(graced.json.data.replaced.expires_at).not.toBeNull();
    const again = await t.call('POST', `/v1/keys/${made.id}/rotate/`, { key });
    expect(again.json.data.replaced).toMatchObject({ id: made.id, revoked_at: expect.any(String) });
    expect((await t.call('GET', '/v1/sms/balance/', { key: made.key })).status).toBe(401);
    for (const fresh of [graced.json.data.key, again.json.data.key])
      expect((await t.call('GET', '/v1/sms/balance/', { key: fresh })).status).toBe(200);
  });
});

describe.each(ENGINES)('rotation expiry on %s', (_engine, open) => {
  it('the new key keeps the old one’s lifetime (from its own creation), or takes the expires_at given', async () => {
    const DAY = 86_400_000;
    const clock = manualClock();
    const fresh = await open();
    const t = await createTestGateway({ storage: fresh.storage, clock });
    try {
      const at = (ms: number) => new Date(ms).toISOString();
      const rotate = (id: string, body?: unknown) =>
        t.call('POST', `/v1/keys/${id}/rotate/`, body === undefined ? {} : { body });
      const monthly = (
        await t.call('POST', '/v1/keys/', {
          body: { name: 'monthly', permissions: ['read'], expires_at: at(clock.now() + 30 * DAY) },
        })
      ).json.data;
      clock.advance(10 * DAY);
      const kept = await rotate(monthly.id);
      expect(kept.status).toBe(201);
      expect(kept.json.data.expires_at).toBe(at(clock.now() + 30 * DAY));
      expect((await t.call('GET', '/v1/keys/?per_page=100')).json.data.keys).toContainEqual(
        expect.objectContaining({ id: kept.json.data.id, expires_at: at(clock.now() + 30 * DAY) }),
      );
      clock.advance(30 * DAY - 1);
      expect((await t.call('GET', '/v1/sms/balance/', { key: kept.json.data.key })).status).toBe(200);
      clock.advance(1);
      expect((await t.call('GET', '/v1/sms/balance/', { key: kept.json.data.key })).status).toBe(401);

      const forever = (await t.call('POST', '/v1/keys/', { body: { name: 'pos', permissions: ['read'] } }))
        .json.data;
      const still = await rotate(forever.id, { grace_period_seconds: 60 });
      expect(still.json.data.expires_at).toBeNull();

      const given = await rotate(still.json.data.id, { expires_at: at(clock.now() + DAY) });
      expect(given.json.data.expires_at).toBe(at(clock.now() + DAY));
      const none = await rotate(given.json.data.id, { expires_at: null });
      expect(none.json.data.expires_at).toBeNull();
      const log = (await t.call('GET', '/v1/activity/?action=key.rotated')).json.data.activity;
      const logged = (id: string) => log.find((e: { subject: string }) => e.subject === id).details;
      expect(logged(none.json.data.id)).toMatchObject({ replaced: given.json.data.id, expires_at: null });
      expect(logged(given.json.data.id)).toMatchObject({ expires_at: at(clock.now() + DAY) });

      for (const expires_at of [at(clock.now() - 1), '2030-01-01', 'soon']) {
        const bad = await rotate(none.json.data.id, { expires_at });
        expect(bad.json, expires_at).toMatchObject({
          error_code: 'VALIDATION_ERROR',
          details: [{ field: 'expires_at' }],
        });
      }
      // Refused before anything changed: the key still works and has no successor.
      expect((await t.call('GET', '/v1/sms/balance/', { key: none.json.data.key })).status).toBe(200);
    } finally {
      await t.close();
      await fresh.drop();
    }
  });
});

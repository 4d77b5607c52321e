import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';

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
    expect([a.status, b.status].sort()).toEqual([200, 409]);
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

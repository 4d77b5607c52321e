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

import { Hono } from 'hono';
import { createFactory } from 'hono/factory';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { withSlash } from '../routes';
import { keySchema } from '../schemas';
import type { Services } from '../services';
import { validate } from '../validate';

const f = createFactory<GatewayEnv>();

export function keyRoutes(s: Services) {
  const create = f.createHandlers(
    requireKey(s, 'admin'),
    jsonBody(),
    validate('json', keySchema),
    async (c) => {
      const { name, permissions } = c.req.valid('json');
      const { key, record } = await s.admin.createKey({
        accountId: c.get('principal').accountId,
        name,
        permissions,
      });
      return ok(c, 'API key created; store it now, it is not shown again', { ...record, key }, 201);
    },
  );

  const list = f.createHandlers(requireKey(s, 'admin'), async (c) => {
    const keys = await s.admin.listKeys(c.get('principal').accountId);
    return ok(c, 'API keys retrieved successfully', { keys });
  });

  const revoke = f.createHandlers(requireKey(s, 'admin'), async (c) => {
    const { key_hash, ...record } = await s.admin.revokeKey(
      c.req.param('key_id')!,
      c.get('principal').accountId,
    );
    s.auth.forget(key_hash);
    return ok(c, 'API key revoked', record);
  });

  const [keysPath, keysSlash] = withSlash('/v1/keys');
  const [keyPath, keySlash] = withSlash('/v1/keys/:key_id');
  return new Hono<GatewayEnv>()
    .post(keysPath, ...create)
    .post(keysSlash, ...create)
    .get(keysPath, ...list)
    .get(keysSlash, ...list)
    .delete(keyPath, ...revoke)
    .delete(keySlash, ...revoke);
}

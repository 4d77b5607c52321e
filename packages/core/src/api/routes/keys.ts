import { Hono } from 'hono';
import { actorOf } from '../../services/activity';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { keySchema, keysQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const keyBody = jsonBody(keySchema);
const keysParams = validQuery(keysQuery);

export function keyRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'POST',
      ...route('/v1/keys', requireKey(s, 'admin'), keyBody, async (c) => {
        const { name, permissions } = c.req.valid('json');
        const principal = c.get('principal');
        const { key, record } = await s.admin.createKey({
          accountId: principal.accountId,
          name,
          permissions,
        });
        await s.activity.record(principal.accountId, actorOf(principal), 'key.created', record.id, {
          name,
          permissions: record.permissions,
        });
        return ok(c, 'API key created; store it now, it is not shown again', { ...record, key }, 201);
      }),
    )
    .on(
      'GET',
      ...route('/v1/keys', requireKey(s, 'admin'), keysParams, async (c) => {
        const data = await s.admin.pageKeys(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'API keys retrieved successfully', data);
      }),
    )
    .on(
      'DELETE',
      ...route('/v1/keys/:key_id', requireKey(s, 'admin'), async (c) => {
        const { key_hash, ...record } = await s.admin.revokeKey(c.req.param('key_id'), {
          accountId: c.get('principal').accountId,
          keepOneAdmin: true,
        });
        s.auth.forget(key_hash);
        const principal = c.get('principal');
        await s.activity.record(principal.accountId, actorOf(principal), 'key.revoked', record.id, {
          name: record.name,
        });
        return ok(c, 'API key revoked', record);
      }),
    );
}

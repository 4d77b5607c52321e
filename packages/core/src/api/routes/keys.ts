import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { keySchema, keysQuery, rotateKeySchema } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const keyBody = jsonBody(keySchema);
const keysParams = validQuery(keysQuery);
const rotateBody = jsonBody(rotateKeySchema, { optional: true });

export function keyRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'POST',
      ...route('/v1/keys', requireKey(s, 'admin'), keyBody, async (c) => {
        const { key, record } = await s.actions.createKey(c.get('principal'), c.req.valid('json'));
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
        const record = await s.actions.revokeKey(c.get('principal'), c.req.param('key_id'));
        return ok(c, 'API key revoked', record);
      }),
    )
    .on(
      'POST',
      ...route('/v1/keys/:key_id/rotate', requireKey(s, 'admin'), rotateBody, async (c) => {
        const { grace_period_seconds, expires_at } = c.req.valid('json');
        const { key, record, replaced } = await s.actions.rotateKey(
          c.get('principal'),
          c.req.param('key_id'),
          {
            graceSeconds: grace_period_seconds,
            expiresAt: expires_at,
          },
        );
        return ok(
          c,
          'API key rotated; store the new key now, it is not shown again',
          { ...record, key, replaced },
          201,
        );
      }),
    );
}

import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { senderIdRequestSchema, senderIdsQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const requestBody = jsonBody(senderIdRequestSchema);
const listParams = validQuery(senderIdsQuery);

/** The account's sender IDs: it asks for one (admin), the operators decide, and it lists them. */
export function senderIdRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'GET',
      ...route('/v1/sender-ids', requireKey(s, 'read'), listParams, async (c) => {
        const data = await s.senderIds.list(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Sender IDs retrieved successfully', data);
      }),
    )
    .on(
      'POST',
      ...route('/v1/sender-ids', requireKey(s, 'admin'), requestBody, async (c) => {
        const data = await s.senderIds.request(c.get('principal'), c.req.valid('json'));
        return ok(c, 'Sender ID requested: pending with every operator', data, 201);
      }),
    );
}

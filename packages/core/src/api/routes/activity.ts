import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import { activityQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const activityParams = validQuery(activityQuery);

/** The account's audit log: admin keys only. */
export function activityRoutes(s: Services) {
  return new Hono<GatewayEnv>().on(
    'GET',
    ...route('/v1/activity', requireKey(s, 'admin'), activityParams, async (c) => {
      const data = await s.activity.list(c.get('principal').accountId, c.req.valid('query'));
      return ok(c, 'Activity retrieved successfully', data);
    }),
  );
}

import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import type { Services } from '../services';

/** The numbers (and keywords) the account receives on; the operator assigns them. */
export function numberRoutes(s: Services) {
  return new Hono<GatewayEnv>().on(
    'GET',
    ...route('/v1/numbers', requireKey(s, 'read'), async (c) => {
      const numbers = await s.admin.listNumbers(c.get('principal').accountId);
      return ok(c, 'Numbers retrieved successfully', {
        numbers: numbers.map(({ account_id: _, ...n }) => n),
      });
    }),
  );
}

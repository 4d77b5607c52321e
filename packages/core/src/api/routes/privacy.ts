import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import type { Services } from '../services';

/** Data protection requests about one number (an admin key's): what the account holds about it. */
export function privacyRoutes(s: Services) {
  return new Hono<GatewayEnv>().on(
    'GET',
    ...route('/v1/privacy/subjects/:phone_number', requireKey(s, 'admin'), async (c) =>
      ok(
        c,
        'What this account holds about the number',
        await s.privacy.subject(c.get('principal').accountId, c.req.param('phone_number')),
      ),
    ),
  );
}

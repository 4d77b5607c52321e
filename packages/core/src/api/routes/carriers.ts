import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import type { Services } from '../services';
import { anyQuery } from '../validate';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Carriers' HTTP callbacks, authenticated by the carrier's token, not by an API key; and each carrier's
 * state for an account's admins.
 */
export function carrierRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'GET',
      ...route('/v1/carriers', requireKey(s, 'admin'), async (c) =>
        ok(c, 'Carriers retrieved', { carriers: await s.carriers() }),
      ),
    )
    .on(
      'POST',
      // Aggregators may add parameters of their own to the URL they call: only `token` is read.
      ...route('/v1/carriers/:carrier_id/callback', anyQuery, async (c) => {
        const bearer = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
        const token = c.req.query('token') ?? bearer ?? null;
        const summary = await s.callbacks.handle(c.req.param('carrier_id'), token, c.req.raw, () =>
          s.limiter.authFailure(s.clientAddress(c)),
        );
        return ok(c, 'Callback received', summary);
      }),
    );
}

import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { route } from '../routes';
import type { Services } from '../services';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Carriers' HTTP callbacks: authenticated by the carrier's token, not by an API key. */
export function carrierRoutes(s: Services) {
  return new Hono<GatewayEnv>().on(
    'POST',
    ...route('/v1/carriers/:carrier_id/callback', async (c) => {
      const bearer = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
      const token = c.req.query('token') ?? bearer ?? null;
      const summary = await s.callbacks.handle(c.req.param('carrier_id'), token, c.req.raw, () =>
        s.limiter.authFailure(s.clientAddress(c)),
      );
      return ok(c, 'Callback received', summary);
    }),
  );
}

import { Hono } from 'hono';
import type { CarrierState } from '../../dispatch/carrier-states';
import { GatewayError } from '../../errors';
import { ok } from '../envelope';

const PATHS = ['/healthz', '/healthz/', '/readyz', '/readyz/'];

/** What `GET /readyz` looked at, and why the gateway is not ready (empty when it is). */
export interface Readiness {
  ready: boolean;
  reasons: string[];
  database: { reachable: boolean; migrations_applied: number; migrations_expected: number };
  carriers: { id: string; state: CarrierState; takes_traffic: boolean }[];
}

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (the database answers and is migrated, and at
 * least one carrier can take traffic; NOT_READY, 503, with the reasons otherwise), at the server's
 * root, outside the API's authentication and rate limits: what load balancers and orchestrators poll.
 */
export function healthRoutes(readiness: () => Promise<Readiness>) {
  // A probe's query (a cache-buster) is ignored, not refused as the API's routes refuse unknown ones.
  return new Hono()
    .on('GET', ['/healthz', '/healthz/'], (c) => ok(c, 'The gateway answers', { status: 'ok' as const }))
    .on('GET', ['/readyz', '/readyz/'], async (c) => {
      const r = await readiness();
      if (!r.ready)
        throw new GatewayError('NOT_READY', `Not ready: ${r.reasons.join('; ')}`, { ...r, ready: false });
      return ok(c, 'Ready to take traffic', r);
    })
    .on(['POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], PATHS, (c) => {
      throw new GatewayError(
        'METHOD_NOT_ALLOWED',
        `${c.req.method} is not allowed here; use GET`,
        { allowed: ['GET'] },
        { Allow: 'GET' },
      );
    });
}

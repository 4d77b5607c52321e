import type { Hono } from 'hono';
import { GatewayError } from '../errors';
import type { GatewayEnv } from './env';

/** Each route answers with and without a trailing slash, as the seed's URLs end in one. */
export const withSlash = (path: string) => [path, `${path}/`] as const;

/**
 * For every path the app routes, another method answers 405 with an Allow header instead of 404.
 * Call once, after every route is added.
 */
export function addMethodNotAllowed(app: Hono<GatewayEnv>) {
  const methods = new Map<string, Set<string>>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    methods.set(r.path, (methods.get(r.path) ?? new Set()).add(r.method));
  }
  for (const [path, set] of methods) {
    const allowed = [...set];
    app.all(path, (c) => {
      throw new GatewayError(
        'METHOD_NOT_ALLOWED',
        `${c.req.method} is not allowed here; use ${allowed.join(' or ')}`,
        { allowed },
        { Allow: allowed.join(', ') },
      );
    });
  }
}

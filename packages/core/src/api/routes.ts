import type { Handler, Input, MiddlewareHandler } from 'hono';
import type { H, HandlerResponse } from 'hono/types';
import { GatewayError } from '../errors';
import type { GatewayEnv } from './env';

/** Marks a middleware that declares (and checks) a route's query parameters. */
export const DECLARES_QUERY = Symbol('declares the query');

/** A route that declares no query parameters refuses any, naming them, instead of ignoring them. */
const refuseQuery: MiddlewareHandler<GatewayEnv> = async function refuseQueryMiddleware(c, next) {
  // Most requests carry no query: parsing their URL would be a cost on every send (it showed in profiles).
  if (!c.req.url.includes('?')) return next();
  const given = [...new Set(new URL(c.req.url).searchParams.keys())];
  if (given.length)
    throw new GatewayError(
      'VALIDATION_ERROR',
      `This endpoint takes no query parameters: ${given.join(', ')}`,
      given.map((field) => ({ field, message: 'unknown query parameter' })),
    );
  await next();
};

/**
 * A route's path with and without its trailing slash (the seed's URLs end in one), and its middlewares
 * and handler, as `app.on(method, ...route(path, …))` takes them. Without a middleware that declares
 * its query (`validQuery`), the route refuses query parameters (checked after authentication). Hono's `on` with several paths wants
 * one handler type for the whole chain: this gives every element the route's input (from its validator)
 * and response (from its handler), so `hc<typeof app>` is typed end to end. The path alone sets `P`.
 */
export function route<P extends string, I extends Input, R extends HandlerResponse<unknown>>(
  path: P,
  ...handlers: [...MiddlewareHandler<GatewayEnv, NoInfer<P>, I>[], Handler<GatewayEnv, NoInfer<P>, I, R>]
): [[P, `${P}/`], ...H<GatewayEnv, P, I, R>[]] {
  const declared = handlers.some((h) => DECLARES_QUERY in h);
  const chain = declared ? handlers : [...handlers.slice(0, -1), refuseQuery, handlers.at(-1)!];
  return [[path, `${path}/`], ...(chain as H<GatewayEnv, P, I, R>[])];
}

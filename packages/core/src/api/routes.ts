import type { Handler, Input, MiddlewareHandler } from 'hono';
import type { H, HandlerResponse } from 'hono/types';
import type { GatewayEnv } from './env';

/**
 * A route's path with and without its trailing slash (the seed's URLs end in one), and its middlewares
 * and handler, as `app.on(method, ...route(path, …))` takes them. Hono's `on` with several paths wants
 * one handler type for the whole chain: this gives every element the route's input (from its validator)
 * and response (from its handler), so `hc<typeof app>` is typed end to end. The path alone sets `P`.
 */
export function route<P extends string, I extends Input, R extends HandlerResponse<unknown>>(
  path: P,
  ...handlers: [...MiddlewareHandler<GatewayEnv, NoInfer<P>, I>[], Handler<GatewayEnv, NoInfer<P>, I, R>]
): [[P, `${P}/`], ...H<GatewayEnv, P, I, R>[]] {
  return [[path, `${path}/`], ...(handlers as H<GatewayEnv, P, I, R>[])];
}

import type { Context, Input, Next } from 'hono';
import type { Principal } from '../auth/principal';
import type { UsageSink } from '../ratelimit/limiter';

/** Hono bindings of the gateway app: the authenticated principal, and where its rate-limit usage goes. */
export interface GatewayEnv {
  Variables: { principal: Principal; usage: UsageSink };
}

/** A middleware that fits any route: generic in the route's input, so the route takes its types from its validator. */
export type RouteMiddleware = <I extends Input>(
  c: Context<GatewayEnv, string, I>,
  next: Next,
) => Promise<void>;

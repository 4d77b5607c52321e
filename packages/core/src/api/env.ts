import type { Context, Input, Next } from 'hono';
import type { Principal } from '../auth/principal';
import type { BatchTake, UsageSink } from '../ratelimit/limiter';

/**
 * Hono bindings of the gateway app: the authenticated principal, where its rate-limit usage goes, and
 * (on routes whose key check counts the call with the handler's write) the take of the API call.
 */
export interface GatewayEnv {
  Variables: {
    principal: Principal;
    usage: UsageSink;
    apiCall: () => Promise<BatchTake>;
    /** The request's id (`X-Request-Id`), for the log lines it causes. */
    requestId: string;
  };
}

/** A middleware that fits any route: generic in the route's input, so the route takes its types from its validator. */
export type RouteMiddleware = <I extends Input>(
  c: Context<GatewayEnv, string, I>,
  next: Next,
) => Promise<void>;

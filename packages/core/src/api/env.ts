import type { Principal } from '../auth/principal';
import type { UsageSink } from '../ratelimit/limiter';

/** Hono bindings of the gateway app: the authenticated principal, and where its rate-limit usage goes. */
export interface GatewayEnv {
  Variables: { principal: Principal; usage: UsageSink };
}

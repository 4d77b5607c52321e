import type { Principal } from '../auth/authenticator';

/** Hono bindings of the gateway app: the authenticated principal. */
export interface GatewayEnv {
  Variables: { principal: Principal };
}

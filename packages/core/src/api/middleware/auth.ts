import type { MiddlewareHandler } from 'hono';
import { grants, type Permission } from '../../auth/api-key';
import type { Authenticator } from '../../auth/authenticator';
import { GatewayError } from '../../errors';
import type { GatewayEnv } from '../env';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function invalidCredentials(details: string) {
  return new GatewayError('INVALID_CREDENTIALS', 'Invalid API Key or request payload', details);
}

/** Resolves `Authorization: Bearer <key>` to a principal and checks it holds `permission`. */
export function requireKey(auth: Authenticator, permission: Permission): MiddlewareHandler<GatewayEnv> {
  return async function requireKeyMiddleware(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw invalidCredentials('No API key: send it as Authorization: Bearer <key>');
    const key = BEARER.exec(header)?.[1];
    if (!key) throw invalidCredentials('The Authorization header must be Bearer <key>');
    const principal = await auth.authenticate(key);
    if (!principal) throw invalidCredentials('The provided API key is invalid or expired');
    if (!grants(principal.permissions, permission))
      throw new GatewayError('PERMISSION_DENIED', `This API key lacks the ${permission} permission`, {
        required: permission,
        granted: principal.permissions,
      });
    c.set('principal', principal);
    await next();
  };
}

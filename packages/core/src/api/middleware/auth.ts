import { grants, type Permission } from '../../auth/api-key';
import { GatewayError } from '../../errors';
import type { Usage } from '../../ratelimit/limiter';
import type { RouteMiddleware } from '../env';
import type { Services } from '../services';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function invalidCredentials(details: string) {
  return new GatewayError('INVALID_CREDENTIALS', 'Invalid API Key or request payload', details);
}

/**
 * Resolves `Authorization: Bearer <key>` to a principal, counts the API call against the account's
 * hourly limit and checks the key holds `permission`. Every key is looked up; a wrong one counts
 * against its address, which past the limit is answered 429 instead of 401. A right key always passes.
 * Every authenticated response carries RateLimit-Limit, -Remaining and -Reset of the tightest limit
 * the request touched.
 */
export function requireKey(s: Services, permission: Permission): RouteMiddleware {
  return async function requireKeyMiddleware(c, next) {
    const header = c.req.header('authorization');
    if (!header) throw invalidCredentials('No API key: send it as Authorization: Bearer <key>');
    const key = BEARER.exec(header)?.[1];
    if (!key) throw invalidCredentials('The Authorization header must be Bearer <key>');
    const principal = await s.auth.authenticate(key);
    if (!principal) {
      await s.limiter.authFailure(s.clientAddress(c));
      throw invalidCredentials('The provided API key is invalid or expired');
    }
    let tightest: Usage | null = null;
    const usage = (u: Usage) => {
      if (tightest !== null && u.remaining >= tightest.remaining) return;
      tightest = u;
      c.header('RateLimit-Limit', String(u.limit));
      c.header('RateLimit-Remaining', String(u.remaining));
      c.header('RateLimit-Reset', String(u.resetSeconds));
    };
    c.set('principal', principal);
    c.set('usage', usage);
    await s.limiter.apiCall(principal.accountId, principal.limits, usage);
    if (!grants(principal.permissions, permission))
      throw new GatewayError('PERMISSION_DENIED', `This API key lacks the ${permission} permission`, {
        required: permission,
        granted: principal.permissions,
      });
    await next();
  };
}

/** Counts a contact or segment operation against the account's hourly limit. */
export function countContactOp(s: Services): RouteMiddleware {
  return async function countContactOpMiddleware(c, next) {
    const principal = c.get('principal');
    await s.limiter.contactOp(principal.accountId, principal.limits, c.get('usage'));
    await next();
  };
}

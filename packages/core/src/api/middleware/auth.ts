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
 * The API key of a request: `Authorization: Bearer <key>`, or `X-API-Key: <key>` (as clients of the
 * original system send it, and as a host app that uses Authorization for its own login can).
 */
function keyOf(authorization: string | undefined, apiKey: string | undefined): string {
  const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (bearer) return bearer;
  const given = apiKey?.trim();
  if (given) return given;
  if (authorization !== undefined && apiKey === undefined)
    throw invalidCredentials('The Authorization header must be Bearer <key> (or send X-API-Key: <key>)');
  throw invalidCredentials('No API key: send it as Authorization: Bearer <key> or X-API-Key: <key>');
}

/**
 * Resolves the request's API key (`keyOf`) to a principal, counts the API call against the account's
 * hourly limit and checks the key holds `permission`. Every key is looked up; a wrong one counts
 * against its address, which past the limit is answered 429 instead of 401. A right key always passes.
 * Every authenticated response carries RateLimit-Limit, -Remaining and -Reset of the tightest limit
 * the request touched.
 */
export function requireKey(s: Services, permission: Permission): RouteMiddleware {
  return async function requireKeyMiddleware(c, next) {
    const key = keyOf(c.req.header('authorization'), c.req.header('x-api-key'));
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

import { grants, type Permission } from '../../auth/api-key';
import { GatewayError } from '../../errors';
import type { Usage } from '../../ratelimit/limiter';
import type { RouteMiddleware } from '../env';
import type { Services } from '../services';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function invalidCredentials(hint: string) {
  return new GatewayError('INVALID_CREDENTIALS', 'Invalid API Key or request payload', { hint });
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
 *
 * With `countWithWrite` (the send), the handler counts the call in its own atomic write (`apiCall`),
 * so the whole send is one commit; a request that ends before that write (refused by validation, the
 * balance or a limit) is counted on its own afterwards.
 */
export function requireKey(
  s: Services,
  permission: Permission,
  options: { countWithWrite?: boolean } = {},
): RouteMiddleware {
  return async function requireKeyMiddleware(c, next) {
    const key = keyOf(c.req.header('authorization'), c.req.header('x-api-key'));
    const principal = await s.auth.authenticate(key);
    if (!principal) {
      await s.limiter.authFailure(s.clientAddress(c));
      throw invalidCredentials('The provided API key is invalid or expired');
    }
    let tightest: Usage | null = null;
    const usage = (u: Usage) => {
      // A 429 keeps the headers of the limit that refused it, whatever is counted after it.
      if (c.error instanceof GatewayError && c.error.code === 'RATE_LIMIT_EXCEEDED') return;
      if (tightest !== null && u.remaining >= tightest.remaining) return;
      tightest = u;
      c.header('RateLimit-Limit', String(u.limit));
      c.header('RateLimit-Remaining', String(u.remaining));
      c.header('RateLimit-Reset', String(u.resetSeconds));
    };
    c.set('principal', principal);
    c.set('usage', usage);
    const granted = grants(principal.permissions, permission);
    if (!options.countWithWrite || !granted)
      await s.limiter.apiCall(principal.accountId, principal.limits, usage);
    if (!granted)
      throw new GatewayError('PERMISSION_DENIED', `This API key lacks the ${permission} permission`, {
        required: permission,
        granted: principal.permissions,
      });
    if (!options.countWithWrite) return next();
    let counted = false;
    c.set('apiCall', async () => {
      const take = await s.limiter.apiCallInBatch(principal.accountId, principal.limits, usage);
      return {
        ...take,
        committed(results) {
          counted = true;
          take.committed(results);
        },
      };
    });
    await next();
    if (!counted)
      await s.limiter.apiCall(principal.accountId, principal.limits, usage).catch((e: unknown) => {
        // Already answered (with why the request was refused): a spent limit only means it is not counted.
        if (!(e instanceof GatewayError && e.code === 'RATE_LIMIT_EXCEEDED')) throw e;
      });
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

import type { MiddlewareHandler } from 'hono';
import { randomToken } from '../../ids';
import type { Logger } from '../../logger';

/** An id a caller may give (`X-Request-Id`): up to 128 letters, digits and `-_.:`; anything else is replaced. */
const GIVEN_ID = /^[\w.:-]{1,128}$/;

/**
 * Names each request (`X-Request-Id` from the caller when it is a plain token, else a new one), answers
 * with it whatever the outcome, keeps it as `c.var.requestId` for the log lines the request causes,
 * and logs one `info` line per request when the logger takes them. Idempotent: the root app and a
 * mounted API app both run it, the first one names the request.
 */
export function requestLog(log: Logger): MiddlewareHandler {
  return async function requestLogMiddleware(c, next) {
    let id: string | undefined = c.get('requestId');
    if (id !== undefined) return next();
    const given = c.req.header('x-request-id');
    id = given !== undefined && GIVEN_ID.test(given) ? given : `req_${randomToken(16)}`;
    c.set('requestId', id);
    const started = log.info ? performance.now() : 0;
    // Set first, so the response the route makes carries it; after, only on one made as a bare
    // `Response` (setting a header on a finished response copies it).
    c.header('X-Request-Id', id);
    await next();
    if (!c.res.headers.has('x-request-id')) c.header('X-Request-Id', id);
    log.info?.(`${c.req.method} ${c.req.path} ${c.res.status}`, {
      request_id: id,
      account_id: c.get('principal')?.accountId,
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    });
  };
}

import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { unsafeFields } from '../domain/safe-text';
import { GatewayError } from '../errors';
import { issueFields } from '../zod-issues';
import type { GatewayEnv } from './env';
import { DECLARES_QUERY } from './routes';

/**
 * VALIDATION_ERROR listing each bad field as `{ field, message }`; an unknown field is named as such,
 * a rule on the whole input as `(body)`.
 */
export const invalid = (what: string, error: z.ZodError) =>
  new GatewayError('VALIDATION_ERROR', `Invalid ${what}`, issueFields(error, [], '(body)'));

/**
 * Parses input against `schema` after refusing any string (or key) that cannot be stored or sent
 * (U+0000, an unpaired surrogate), so nothing of a refused request is ever written.
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const unsafe = unsafeFields(value);
  if (unsafe.length) throw new GatewayError('VALIDATION_ERROR', `Invalid ${what}`, unsafe);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(what, parsed.error);
  return parsed.data;
}

type QueryInput<T extends z.ZodType> = { in: { query: z.input<T> }; out: { query: z.output<T> } };

/**
 * Query parameters valid against `schema` (a repeated parameter arrives as an array), read with
 * `c.req.valid('query')`. Make it once per schema, outside the route, like `jsonBody`.
 */
export function validQuery<T extends z.ZodType<object>>(
  schema: T,
): MiddlewareHandler<GatewayEnv, string, QueryInput<T>> {
  const middleware: MiddlewareHandler<
    GatewayEnv,
    string,
    QueryInput<T>
  > = async function validQueryMiddleware(c, next) {
    const query = Object.fromEntries(
      Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
    );
    c.req.addValidatedData('query', parseInput(schema, query, 'query'));
    await next();
  };
  return Object.assign(middleware, { [DECLARES_QUERY]: true });
}

/**
 * For a route whose callers add query parameters of their own (carriers' callbacks): any is let
 * through, and the handler reads the ones it knows.
 */
export const anyQuery: MiddlewareHandler<GatewayEnv> = Object.assign(
  async function anyQueryMiddleware(_c: unknown, next: () => Promise<void>) {
    await next();
  },
  { [DECLARES_QUERY]: true },
);

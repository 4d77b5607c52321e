import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { GatewayError } from '../errors';
import type { GatewayEnv } from './env';

/** VALIDATION_ERROR listing each bad field as `{ field, message }`. */
export const invalid = (what: string, error: z.ZodError) =>
  new GatewayError(
    'VALIDATION_ERROR',
    `Invalid ${what}`,
    error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
  );

type QueryInput<T extends z.ZodType> = { in: { query: z.input<T> }; out: { query: z.output<T> } };

/**
 * Query parameters valid against `schema` (a repeated parameter arrives as an array), read with
 * `c.req.valid('query')`. Make it once per schema, outside the route, like `jsonBody`.
 */
export function validQuery<T extends z.ZodType<object>>(
  schema: T,
): MiddlewareHandler<GatewayEnv, string, QueryInput<T>> {
  return async function validQueryMiddleware(c, next) {
    const query = Object.fromEntries(
      Object.entries(c.req.queries()).map(([k, v]) => [k, v.length === 1 ? v[0] : v]),
    );
    const parsed = schema.safeParse(query);
    if (!parsed.success) throw invalid('query', parsed.error);
    c.req.addValidatedData('query', parsed.data);
    await next();
  };
}

import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { parseJsonText } from '../../domain/json-text';
import { GatewayError } from '../../errors';
import type { GatewayEnv } from '../env';
import { parseInput } from '../validate';
import { bodyText } from './body-size';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

type JsonInput<T extends z.ZodType> = { in: { json: z.input<T> }; out: { json: z.output<T> } };

/**
 * A JSON object body valid against `schema`: 415 for another content type, INVALID_JSON for an empty,
 * malformed or non-object body, VALIDATION_ERROR for one nested deeper than `MAX_JSON_DEPTH` (found
 * before it is parsed) or naming each bad field. The handler reads it with `c.req.valid('json')`.
 * Make it once per schema, outside the route: TypeScript infers the route's input from a ready value,
 * not from a generic call nested in `route(…)`.
 */
export function jsonBody<T extends z.ZodType<object>>(
  schema: T,
  /** `optional`: no body at all (no Content-Type, nothing sent) reads as `{}`. */
  options: { optional?: boolean } = {},
): MiddlewareHandler<GatewayEnv, string, JsonInput<T>> {
  return async function jsonBodyMiddleware(c, next) {
    const type = c.req.header('content-type');
    if (options.optional && !type && (await bodyText(c)) === '') {
      c.req.addValidatedData('json', parseInput(schema, {}, 'request body'));
      return next();
    }
    if (!type || !JSON_TYPE.test(type))
      throw new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        'Send the body as JSON with Content-Type: application/json',
        {
          content_type: type ?? null,
        },
      );
    const text = await bodyText(c);
    if (text.trim() === '')
      throw new GatewayError('INVALID_JSON', 'The request body is empty; a JSON object is expected', [
        { field: '(body)', message: 'is empty' },
      ]);
    const body = parseJsonText(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new GatewayError('INVALID_JSON', 'The request body must be a JSON object', [
        { field: '(body)', message: 'must be a JSON object' },
      ]);
    c.req.addValidatedData('json', parseInput(schema, body, 'request body'));
    await next();
  };
}

import type { Context } from 'hono';
import { invalidField } from '../errors';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * A request's `Idempotency-Key` header (sends and campaigns): undefined without one, VALIDATION_ERROR
 * unless it is 1 to 255 visible ASCII characters.
 */
export function idempotencyKeyOf(c: Context): string | undefined {
  const key = c.req.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
    throw invalidField('Idempotency-Key', 'must be 1 to 255 visible ASCII characters');
  return key;
}

import type { Context } from 'hono';

/** The seed's success envelope. */
export function ok<T>(c: Context, message: string, data: T, status: 200 | 201 = 200) {
  return c.json({ success: true as const, message, data, error_code: null, details: null }, status);
}

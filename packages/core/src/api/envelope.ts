import type { Context, TypedResponse } from 'hono';
import type { JSONParsed } from 'hono/utils/types';

/** The seed's success envelope around `data`. */
export interface Envelope<T> {
  success: true;
  message: string;
  data: T;
  error_code: null;
  details: null;
}

/** The seed's success envelope, typed for `hc` clients (spelled out: declaration files cannot infer it). */
export function ok<T, S extends 200 | 201 = 200>(
  c: Context,
  message: string,
  data: T,
  status: S = 200 as S,
): Response & TypedResponse<JSONParsed<Envelope<T>>, S, 'json'> {
  const envelope: Envelope<T> = { success: true, message, data, error_code: null, details: null };
  return c.json(envelope, status);
}

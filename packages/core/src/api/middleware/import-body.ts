import type { Context } from 'hono';
import { GatewayError } from '../../errors';
import type { ImportRow } from '../../services/contact-import';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CSV_TYPE = /^text\/csv\s*(?:;|$)/i;

/** What an import request carries: CSV text, or JSON rows numbered from 1. */
export type ImportSource =
  | { csv: string }
  | { rows: ImportRow[]; errors: { row: number; field: null; reason: string }[] };

/**
 * Reads an import body: `text/csv`, or a JSON array of contact objects (an element that is not an
 * object is reported as a bad row). Another content type is 415; malformed JSON or a non-array is
 * INVALID_JSON.
 */
export async function readImportBody(c: Context): Promise<ImportSource> {
  const type = c.req.header('content-type') ?? '';
  if (CSV_TYPE.test(type)) return { csv: await c.req.text() };
  if (!JSON_TYPE.test(type))
    throw new GatewayError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the contacts as a JSON array (Content-Type: application/json) or as CSV (Content-Type: text/csv)',
      { content_type: type || null },
    );
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch (e) {
    throw new GatewayError('INVALID_JSON', 'The request body is not valid JSON', (e as Error).message);
  }
  if (!Array.isArray(body))
    throw new GatewayError('INVALID_JSON', 'The request body must be a JSON array of contacts');
  const rows: ImportRow[] = [];
  const errors: { row: number; field: null; reason: string }[] = [];
  body.forEach((values: unknown, i) => {
    if (typeof values === 'object' && values !== null && !Array.isArray(values))
      rows.push({ row: i + 1, values: values as Record<string, unknown> });
    else errors.push({ row: i + 1, field: null, reason: 'must be an object' });
  });
  return { rows, errors };
}

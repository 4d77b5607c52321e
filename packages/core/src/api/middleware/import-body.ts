import type { Context } from 'hono';
import { GatewayError } from '../../errors';
import type { ImportSource } from '../../services/contact-import';
import { bodyText } from './body-size';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const CSV_TYPE = /^text\/csv\s*(?:;|$)/i;

/**
 * Reads an import body (of `what`: contacts by default) as `text/csv` or JSON text, left to the
 * importer to read row by row. Another content type is 415.
 */
export async function readImportBody(c: Context, what = 'contacts'): Promise<ImportSource> {
  const type = c.req.header('content-type') ?? '';
  if (CSV_TYPE.test(type)) return { csv: await bodyText(c) };
  if (!JSON_TYPE.test(type))
    throw new GatewayError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the ${what} as a JSON array (Content-Type: application/json) or as CSV (Content-Type: text/csv)`,
      { content_type: type || null },
    );
  return { json: await bodyText(c) };
}

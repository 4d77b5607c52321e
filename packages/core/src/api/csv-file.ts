import type { Context } from 'hono';
import type { CsvExport } from '../services/exports';

/** A CSV export as the answer: a download of its file, streamed as the database is read. */
export function csvFile(c: Context, file: CsvExport) {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${file.filename}"`);
  c.header('Cache-Control', 'no-store');
  c.header('X-Content-Type-Options', 'nosniff');
  // Its length is not known. Said outright, so a server that would read the start of a body to give it
  // a Content-Length (Node's adapter does, for short bodies) cannot end a file whose later page failed
  // as if it were whole: it is cut off instead, and the client sees the transfer fail.
  c.header('Transfer-Encoding', 'chunked');
  return c.body(file.body, 200);
}

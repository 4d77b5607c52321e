import { type Context, Hono } from 'hono';
import type { CsvExport } from '../../services/exports';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import { reportQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const reportParams = validQuery(reportQuery);

/** A CSV export as the answer: a download of its file, streamed as the database is read. */
function csvFile(c: Context, file: CsvExport) {
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

/** Usage over a range of days, and the delivery reports and ledger of one as CSV: read keys. */
export function reportRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'GET',
      ...route('/v1/usage', requireKey(s, 'read'), reportParams, async (c) => {
        const data = await s.usageReports.report(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Usage retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/exports/delivery-reports.csv', requireKey(s, 'read'), reportParams, async (c) =>
        csvFile(c, await s.exports.deliveryReports(c.get('principal').accountId, c.req.valid('query'))),
      ),
    )
    .on(
      'GET',
      ...route('/v1/exports/ledger.csv', requireKey(s, 'read'), reportParams, async (c) =>
        csvFile(c, await s.exports.ledger(c.get('principal').accountId, c.req.valid('query'))),
      ),
    );
}

import { Hono } from 'hono';
import { csvFile } from '../csv-file';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { route } from '../routes';
import { reportQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const reportParams = validQuery(reportQuery);

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

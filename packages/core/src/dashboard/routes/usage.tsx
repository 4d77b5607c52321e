/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { csvFile } from '../../api/csv-file';
import type { Services } from '../../api/services';
import type { RangeQuery } from '../../domain/report-range';
import { dateIn } from '../../domain/time-zone';
import type { CsvExport } from '../../services/exports';
import { forms, parseForm } from '../forms';
import { UsagePage } from '../pages/usage';
import { presetRanges } from '../usage-ranges';
import * as dash from './context';

/**
 * Usage over a range of days in the account's time zone (this month by default), and that range's
 * delivery reports and ledger as the same CSV files the API exports.
 */
export function usageRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const presetsOf = (c: dash.Ctx) => presetRanges(dateIn(s.clock.now(), c.get('view').zone));
  /** The range the query asks for, in the account's time zone; a date it leaves out is this month's. */
  const rangeOf = (c: dash.Ctx): RangeQuery => {
    const { from, to } = parseForm(forms.usage, dash.listing(c).values);
    const { thisMonth } = presetsOf(c);
    return { from: from ?? thisMonth.from, to: to ?? thisMonth.to, time_zone: c.get('view').zone };
  };
  /** Answers with the page, or with the range refused beside its fields (as it was typed). */
  const answer = async (c: dash.Ctx, ok: (range: RangeQuery) => Promise<Response>) => {
    try {
      return await ok(rangeOf(c));
    } catch (e) {
      const typed = dash.listing(c).values;
      c.set('form', typed);
      return dash.refused(c, e, (error, form) => (
        <UsagePage
          ctx={dash.pageContext(c)}
          range={{ from: typed.from ?? '', to: typed.to ?? '' }}
          presets={presetsOf(c)}
          report={null}
          error={error}
          form={form}
        />
      ));
    }
  };
  app.on('GET', dash.both('/dashboard/usage'), ...counted, (c) =>
    answer(c, async (range) => {
      const report = await s.usageReports.report(dash.accountOf(c), range);
      return dash.html(
        c,
        <UsagePage
          ctx={dash.pageContext(c)}
          range={{ from: report.from, to: report.to }}
          presets={presetsOf(c)}
          report={report}
        />,
      );
    }),
  );
  const download = (path: string, file: (accountId: string, range: RangeQuery) => Promise<CsvExport>) =>
    app.on('GET', `/dashboard/usage/${path}`, ...counted, (c) =>
      answer(c, async (range) => csvFile(c, await file(dash.accountOf(c), range))),
    );
  download('delivery-reports.csv', s.exports.deliveryReports);
  download('ledger.csv', s.exports.ledger);
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { iso } from '../../clock';
import { calendarDate } from '../../domain/instant';
import { startOfLocalDay, utcMidnight } from '../../domain/time-zone';
import { forms, parseForm } from '../forms';
import { MessagePage } from '../pages/message';
import { MessagesPage } from '../pages/messages';
import * as dash from './context';

const DAY_MS = 86_400_000;

/** A filter's dates as the instants their days start in `zone` (the end: the next day's); other text as typed. */
function localDays(
  filters: { start_date?: string | undefined; end_date?: string | undefined },
  zone: string,
) {
  const at = (date: string | undefined, next: boolean) =>
    date === undefined || calendarDate(date) === null
      ? date
      : iso(startOfLocalDay(next ? iso(utcMidnight(date) + DAY_MS).slice(0, 10) : date, zone));
  return { ...filters, start_date: at(filters.start_date, false), end_date: at(filters.end_date, true) };
}

/** Every recipient of every message, and one message's timeline; dates are days in the account's zone. */
export function messagesRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  // A search refused lists every message, with the search as it was typed and the reason beside it.
  app.on('GET', dash.both('/dashboard/messages'), ...counted, async (c) => {
    const { page, ...filters } = parseForm(forms.messages, dash.listing(c).values);
    const list = (search: typeof filters | Record<string, never>) =>
      s.messages.deliveryReports(dash.accountOf(c), {
        ...localDays(search, dash.pageContext(c).fmt.zone),
        page,
        per_page: 50,
      });
    try {
      return dash.html(
        c,
        <MessagesPage ctx={dash.pageContext(c)} filters={filters} data={await list(filters)} />,
      );
    } catch (e) {
      return dash.refused(c, e, async (error, form) => (
        <MessagesPage
          ctx={dash.pageContext(c)}
          filters={filters}
          data={await list({})}
          error={error}
          form={form}
        />
      ));
    }
  });

  app.on('GET', dash.both('/dashboard/messages/:id'), ...counted, async (c) => {
    const { values, notice } = dash.listing(c);
    parseForm(forms.empty, values);
    const timeline = await s.messages.timeline(dash.accountOf(c), c.req.param('id') ?? '');
    return dash.html(c, <MessagePage ctx={dash.pageContext(c)} timeline={timeline} notice={notice} />);
  });
  return app;
}

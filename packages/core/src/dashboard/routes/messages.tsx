/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { MessagePage } from '../pages/message';
import { MessagesPage } from '../pages/messages';
import * as dash from './context';

/** Every recipient of every message, and one message's timeline. */
export function messagesRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  // A search refused lists every message, with the search as it was typed and the reason beside it.
  app.on('GET', dash.both('/dashboard/messages'), ...counted, async (c) => {
    const { page, ...filters } = parseForm(forms.messages, dash.listing(c).values);
    const list = (search: typeof filters | Record<string, never>) =>
      s.messages.deliveryReports(dash.accountOf(c), { ...search, page, per_page: 50 });
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

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { MessagePage } from '../pages/message';
import { MessagesPage } from '../pages/messages';
import {
  accountOf,
  both,
  type DashboardEnv,
  type DashboardGuards,
  html,
  listing,
  pageContext,
} from './context';

/** Every recipient of every message, and one message's timeline. */
export function messagesRoutes(s: Services, { counted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  app.on('GET', both('/dashboard/messages'), ...counted, async (c) => {
    const { page, ...filters } = parseForm(forms.messages, listing(c).values);
    const data = await s.messages.deliveryReports(accountOf(c), { ...filters, page, per_page: 50 });
    return html(c, <MessagesPage ctx={pageContext(c)} filters={filters} data={data} />);
  });

  app.on('GET', both('/dashboard/messages/:id'), ...counted, async (c) => {
    const timeline = await s.messages.timeline(accountOf(c), c.req.param('id') ?? '');
    return html(c, <MessagePage ctx={pageContext(c)} timeline={timeline} />);
  });
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { sendSchema } from '../../api/schemas';
import type { Services } from '../../api/services';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { ConversationPage, InboxPage } from '../pages/inbox';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** Conversations by subscriber, one conversation, and replies to it. */
export function inboxRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  app.on('GET', dash.both('/dashboard/inbox'), ...counted, async (c) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const data = await s.conversations.list(dash.accountOf(c), { page, per_page: 50 });
    return dash.html(c, <InboxPage ctx={dash.pageContext(c)} data={data} />);
  });

  const fromOf = (c: dash.Ctx) => c.req.param('from') ?? '';
  const conversationPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
  ) => {
    const conversation = await s.conversations.get(dash.accountOf(c), fromOf(c));
    return <ConversationPage ctx={dash.pageContext(c)} conversation={conversation} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/inbox/:from'), ...counted, async (c) => {
    const { values, notice } = dash.listing(c);
    parseForm(forms.empty, values);
    return dash.html(c, await conversationPage(c, { notice }));
  });
  // A reply goes through the sender as the API's does: priced, charged, limited and suppressed alike.
  app.on('POST', dash.both('/dashboard/inbox/:from/reply'), ...counted, async (c) => {
    try {
      const { message } = parseForm(forms.reply, c.get('form'));
      const { from, latestInbound } = await s.conversations.get(dash.accountOf(c), fromOf(c));
      await s.sender.send(
        dash.principalOf(c),
        parseForm(sendSchema, { message, reply_to: latestInbound, traffic_class: 'transactional' }),
      );
      return dash.back(c, `/inbox/${encodeURIComponent(from)}/`, 'reply-sent');
    } catch (e) {
      return dash.refused(c, e, (error, form) => conversationPage(c, { error, form }), {
        MESSAGE_TOO_LONG: 'message',
      });
    }
  });
  return app;
}

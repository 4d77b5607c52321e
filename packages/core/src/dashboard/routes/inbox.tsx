/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import { sendSchema } from '../../api/schemas';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { ConversationPage, InboxPage } from '../pages/inbox';
import type { Refusal } from '../refusal';
import {
  accountOf,
  back,
  both,
  type Ctx,
  type DashboardEnv,
  type DashboardGuards,
  html,
  listing,
  pageContext,
  principalOf,
  refused,
} from './context';

/** Conversations by subscriber, one conversation, and replies to it. */
export function inboxRoutes(s: Services, { counted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  app.on('GET', both('/dashboard/inbox'), ...counted, async (c) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const data = await s.conversations.list(accountOf(c), { page, per_page: 50 });
    return html(c, <InboxPage ctx={pageContext(c)} data={data} />);
  });

  const fromOf = (c: Ctx) => c.req.param('from') ?? '';
  const conversationPage = async (c: Ctx, extra: { notice?: string | undefined; error?: Refusal } = {}) => {
    const conversation = await s.conversations.get(accountOf(c), fromOf(c));
    return <ConversationPage ctx={pageContext(c)} conversation={conversation} {...extra} />;
  };
  app.on('GET', both('/dashboard/inbox/:from'), ...counted, async (c) => {
    const { values, notice } = listing(c);
    parseForm(forms.empty, values);
    return html(c, await conversationPage(c, { notice }));
  });
  // A reply goes through the sender as the API's does: priced, charged, limited and suppressed alike.
  app.on('POST', both('/dashboard/inbox/:from/reply'), ...counted, async (c) => {
    try {
      const { message } = parseForm(forms.reply, c.get('form'));
      const { from, latestInbound } = await s.conversations.get(accountOf(c), fromOf(c));
      await s.sender.send(
        principalOf(c),
        parseForm(sendSchema, { message, reply_to: latestInbound, traffic_class: 'transactional' }),
      );
      return back(c, `/inbox/${encodeURIComponent(from)}/`, 'reply-sent');
    } catch (e) {
      return refused(c, e, (error) => conversationPage(c, { error }));
    }
  });
  return app;
}

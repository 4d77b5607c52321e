/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { SenderIdsPage } from '../pages/sender-ids';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** The account's sender IDs and their state with each operator; asking for one. */
export function senderIdsRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const senderIdsPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
  ) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const data = await s.senderIds.list(dash.accountOf(c), { page, per_page: 50 });
    return <SenderIdsPage ctx={dash.pageContext(c)} data={data} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/sender-ids'), ...counted, async (c) =>
    dash.html(c, await senderIdsPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/sender-ids'), ...counted, async (c) => {
    try {
      await s.senderIds.request(dash.principalOf(c), parseForm(forms.senderId, c.get('form')));
      return dash.back(c, '/sender-ids/', 'sender-id-requested');
    } catch (e) {
      return dash.refused(c, e, (error, form) => senderIdsPage(c, { error, form }), {
        CONFLICT: 'sender_id',
        INVALID_SENDER_ID: 'sender_id',
      });
    }
  });
  return app;
}

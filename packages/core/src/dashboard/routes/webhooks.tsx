/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { WebhooksPage } from '../pages/webhooks';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** The default URL and Bearer setting, the signing secret's rotation, deliveries and their re-sends. */
export function webhooksRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const webhooksPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
  ) => {
    const { status, page } = parseForm(forms.deliveries, dash.listing(c).values);
    const accountId = dash.accountOf(c);
    const [settings, deliveries] = await Promise.all([
      s.webhooks.settings.get(accountId),
      s.webhooks.deliveries.list(accountId, { status, page, per_page: 25 }),
    ]);
    return (
      <WebhooksPage
        ctx={dash.pageContext(c)}
        settings={settings}
        deliveries={deliveries}
        status={status}
        {...extra}
      />
    );
  };
  app.on('GET', dash.both('/dashboard/webhooks'), ...counted, async (c) =>
    dash.html(c, await webhooksPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/webhooks'), ...counted, async (c) => {
    try {
      await s.actions.updateWebhook(dash.principalOf(c), parseForm(forms.webhook, c.get('form')));
      return dash.back(c, '/webhooks/', 'webhook-saved');
    } catch (e) {
      return dash.refused(c, e, (error, form) => webhooksPage(c, { error, form }));
    }
  });
  app.on('POST', dash.both('/dashboard/webhooks/rotate'), ...counted, async (c) => {
    try {
      const { grace_hours } = parseForm(forms.rotate, c.get('form'));
      await s.actions.rotateWebhookSecret(dash.principalOf(c), grace_hours * 3600);
      return dash.back(c, '/webhooks/', 'secret-rotated');
    } catch (e) {
      return dash.refused(c, e, (error, form) => webhooksPage(c, { error, form }));
    }
  });
  app.on('POST', dash.both('/dashboard/webhooks/deliveries/:id/resend'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      await s.actions.resendWebhook(dash.principalOf(c), c.req.param('id') ?? '');
      return dash.back(c, '/webhooks/', 'delivery-resent');
    } catch (e) {
      return dash.refused(c, e, (error, form) => webhooksPage(c, { error, form }));
    }
  });
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { WebhooksPage } from '../pages/webhooks';
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

/** The default URL and Bearer setting, the signing secret's rotation, deliveries and their re-sends. */
export function webhooksRoutes(s: Services, { counted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  const webhooksPage = async (c: Ctx, extra: { notice?: string | undefined; error?: Refusal } = {}) => {
    const { status, page } = parseForm(forms.deliveries, listing(c).values);
    const accountId = accountOf(c);
    const [settings, deliveries] = await Promise.all([
      s.webhooks.settings.get(accountId),
      s.webhooks.deliveries.list(accountId, { status, page, per_page: 25 }),
    ]);
    return (
      <WebhooksPage
        ctx={pageContext(c)}
        settings={settings}
        deliveries={deliveries}
        status={status}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/webhooks'), ...counted, async (c) =>
    html(c, await webhooksPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/webhooks'), ...counted, async (c) => {
    try {
      await s.actions.updateWebhook(principalOf(c), parseForm(forms.webhook, c.get('form')));
      return back(c, '/webhooks/', 'webhook-saved');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/webhooks/rotate'), ...counted, async (c) => {
    try {
      const { grace_hours } = parseForm(forms.rotate, c.get('form'));
      await s.actions.rotateWebhookSecret(principalOf(c), grace_hours * 3600);
      return back(c, '/webhooks/', 'secret-rotated');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/webhooks/deliveries/:id/resend'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      await s.actions.resendWebhook(principalOf(c), c.req.param('id') ?? '');
      return back(c, '/webhooks/', 'delivery-resent');
    } catch (e) {
      return refused(c, e, (error) => webhooksPage(c, { error }));
    }
  });
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { iso } from '../../clock';
import { forms, parseForm } from '../forms';
import { KeysPage } from '../pages/keys';
import * as dash from './context';

/** The account's API keys: create one (shown once), revoke one. */
export function keysRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const keysPage = async (c: dash.Ctx, extra: Partial<Parameters<typeof KeysPage>[0]> = {}) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const { keys } = await s.admin.pageKeys(dash.accountOf(c), { page, per_page: 100 });
    return <KeysPage ctx={dash.pageContext(c)} keys={keys} now={iso(s.clock.now())} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/keys'), ...counted, async (c) =>
    dash.html(c, await keysPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/keys'), ...counted, async (c) => {
    try {
      const input = parseForm(forms.createKey, c.get('form'));
      const created = await s.actions.createKey(dash.principalOf(c), input);
      return dash.html(c, await keysPage(c, { created }), 201);
    } catch (e) {
      return dash.refused(c, e, (error, form) => keysPage(c, { error, form }));
    }
  });
  app.on('POST', dash.both('/dashboard/keys/:id/revoke'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      const revoked = await s.actions.revokeKey(dash.principalOf(c), c.req.param('id') ?? '');
      // Revoking the key this session was opened with ends the session too.
      if (revoked.id === dash.principalOf(c).keyId)
        return c.redirect(`${dash.rootOf(c)}/sign-in?done=key-revoked`, 303);
      return dash.back(c, '/keys/', 'key-revoked');
    } catch (e) {
      return dash.refused(c, e, (error) => keysPage(c, { error }));
    }
  });
  return app;
}

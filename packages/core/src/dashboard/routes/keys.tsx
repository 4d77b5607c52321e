/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { iso } from '../../clock';
import { forms, parseForm } from '../forms';
import { KeysPage } from '../pages/keys';
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
  rootOf,
} from './context';

/** The account's API keys: create one (shown once), revoke one. */
export function keysRoutes(s: Services, { counted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  const keysPage = async (c: Ctx, extra: Partial<Parameters<typeof KeysPage>[0]> = {}) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const { keys } = await s.admin.pageKeys(accountOf(c), { page, per_page: 100 });
    return <KeysPage ctx={pageContext(c)} keys={keys} now={iso(s.clock.now())} {...extra} />;
  };
  app.on('GET', both('/dashboard/keys'), ...counted, async (c) =>
    html(c, await keysPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/keys'), ...counted, async (c) => {
    try {
      const input = parseForm(forms.createKey, c.get('form'));
      const created = await s.actions.createKey(principalOf(c), input);
      return html(c, await keysPage(c, { created }), 201);
    } catch (e) {
      return refused(c, e, (error) => keysPage(c, { error }));
    }
  });
  app.on('POST', both('/dashboard/keys/:id/revoke'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      const revoked = await s.actions.revokeKey(principalOf(c), c.req.param('id') ?? '');
      // Revoking the key this session was opened with ends the session too.
      if (revoked.id === principalOf(c).keyId)
        return c.redirect(`${rootOf(c)}/sign-in?done=key-revoked`, 303);
      return back(c, '/keys/', 'key-revoked');
    } catch (e) {
      return refused(c, e, (error) => keysPage(c, { error }));
    }
  });
  return app;
}

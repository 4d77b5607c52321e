/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import { OptOutHistoryPage, OptOutsPage } from '../pages/opt-outs';
import type { Refusal } from '../refusal';
import * as dash from './context';

/** Opted-out numbers: search, opt one out, a number's history, opt it in again. */
export function optOutsRoutes(s: Services, { contactCounted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  /** The opt-outs page; `search` false lists them all (the search itself was refused). */
  const optOutsPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
    search = true,
  ) => {
    const { phone_number, page } = parseForm(forms.optOuts, dash.listing(c).values);
    const phone = search ? phone_number : undefined;
    const data = await s.consent.list(dash.accountOf(c), {
      phone_number: phone,
      page: search ? page : 1,
      per_page: 50,
    });
    return <OptOutsPage ctx={dash.pageContext(c)} phone={phone_number} data={data} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      return dash.html(c, await optOutsPage(c, { notice: dash.listing(c).notice }));
    } catch (e) {
      return dash.refused(c, e, (error) => optOutsPage(c, { error }, false));
    }
  });
  app.on('POST', dash.both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      const input = parseForm(forms.optOut, c.get('form'));
      const { status } = await s.consent.add(dash.accountOf(c), input, {
        source: 'dashboard',
        apiKeyId: dash.keyOf(c),
      });
      return dash.back(c, '/opt-outs/', status === 'opted_out' ? 'opted-out' : 'already-opted-out');
    } catch (e) {
      return dash.refused(c, e, (error, form) => optOutsPage(c, { error, form }, false), {
        INVALID_PHONE: 'phone_number',
      });
    }
  });

  const phoneOf = (c: dash.Ctx) => c.req.param('phone') ?? '';
  const historyPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Refusal; form?: FormState } = {},
  ) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const accountId = dash.accountOf(c);
    const [history, current] = await Promise.all([
      s.consent.history(accountId, phoneOf(c), { page, per_page: 50 }),
      s.consent.list(accountId, { phone_number: phoneOf(c), page: 1, per_page: 1 }),
    ]);
    return (
      <OptOutHistoryPage
        ctx={dash.pageContext(c)}
        history={history}
        optedOut={current.opt_outs.length > 0}
        {...extra}
      />
    );
  };
  app.on('GET', dash.both('/dashboard/opt-outs/:phone'), ...contactCounted, async (c) =>
    dash.html(c, await historyPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/opt-outs/:phone/opt-in'), ...contactCounted, async (c) => {
    try {
      const { evidence } = parseForm(forms.optIn, c.get('form'));
      const { phone_number } = await s.consent.remove(dash.accountOf(c), phoneOf(c), {
        source: 'dashboard',
        evidence,
        apiKeyId: dash.keyOf(c),
      });
      return dash.back(c, `/opt-outs/${encodeURIComponent(phone_number)}/`, 'opted-in');
    } catch (e) {
      return dash.refused(c, e, (error, form) => historyPage(c, { error, form }));
    }
  });
  return app;
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { OptOutHistoryPage, OptOutsPage } from '../pages/opt-outs';
import type { Refusal } from '../refusal';
import {
  accountOf,
  back,
  both,
  type Ctx,
  type DashboardEnv,
  type DashboardGuards,
  html,
  keyOf,
  listing,
  pageContext,
  refused,
} from './context';

/** Opted-out numbers: search, opt one out, a number's history, opt it in again. */
export function optOutsRoutes(s: Services, { contactCounted }: DashboardGuards) {
  const app = new Hono<DashboardEnv>();
  /** The opt-outs page; `search` false lists them all (the search itself was refused). */
  const optOutsPage = async (
    c: Ctx,
    extra: { notice?: string | undefined; error?: Refusal } = {},
    search = true,
  ) => {
    const { phone_number, page } = parseForm(forms.optOuts, listing(c).values);
    const phone = search ? phone_number : undefined;
    const data = await s.consent.list(accountOf(c), {
      phone_number: phone,
      page: search ? page : 1,
      per_page: 50,
    });
    return <OptOutsPage ctx={pageContext(c)} phone={phone_number} data={data} {...extra} />;
  };
  app.on('GET', both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      return html(c, await optOutsPage(c, { notice: listing(c).notice }));
    } catch (e) {
      return refused(c, e, (error) => optOutsPage(c, { error }, false));
    }
  });
  app.on('POST', both('/dashboard/opt-outs'), ...contactCounted, async (c) => {
    try {
      const input = parseForm(forms.optOut, c.get('form'));
      const { status } = await s.consent.add(accountOf(c), input, {
        source: 'dashboard',
        apiKeyId: keyOf(c),
      });
      return back(c, '/opt-outs/', status === 'opted_out' ? 'opted-out' : 'already-opted-out');
    } catch (e) {
      return refused(c, e, (error) => optOutsPage(c, { error }, false));
    }
  });

  const phoneOf = (c: Ctx) => c.req.param('phone') ?? '';
  const historyPage = async (c: Ctx, extra: { notice?: string | undefined; error?: Refusal } = {}) => {
    const { page } = parseForm(forms.paged, listing(c).values);
    const accountId = accountOf(c);
    const [history, current] = await Promise.all([
      s.consent.history(accountId, phoneOf(c), { page, per_page: 50 }),
      s.consent.list(accountId, { phone_number: phoneOf(c), page: 1, per_page: 1 }),
    ]);
    return (
      <OptOutHistoryPage
        ctx={pageContext(c)}
        history={history}
        optedOut={current.opt_outs.length > 0}
        {...extra}
      />
    );
  };
  app.on('GET', both('/dashboard/opt-outs/:phone'), ...contactCounted, async (c) =>
    html(c, await historyPage(c, { notice: listing(c).notice })),
  );
  app.on('POST', both('/dashboard/opt-outs/:phone/opt-in'), ...contactCounted, async (c) => {
    try {
      const { evidence } = parseForm(forms.optIn, c.get('form'));
      const { phone_number } = await s.consent.remove(accountOf(c), phoneOf(c), {
        source: 'dashboard',
        evidence,
        apiKeyId: keyOf(c),
      });
      return back(c, `/opt-outs/${encodeURIComponent(phone_number)}/`, 'opted-in');
    } catch (e) {
      return refused(c, e, (error) => historyPage(c, { error }));
    }
  });
  return app;
}

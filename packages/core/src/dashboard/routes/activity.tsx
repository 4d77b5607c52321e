/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { ActivityPage } from '../pages/activity';
import * as dash from './context';

/** The audit log, each entry a sentence naming the key that did it. */
export function activityRoutes(s: Services, { counted }: dash.DashboardGuards) {
  return new Hono<dash.DashboardEnv>().on('GET', dash.both('/dashboard/activity'), ...counted, async (c) => {
    const { action, page } = parseForm(forms.activity, dash.listing(c).values);
    const accountId = dash.accountOf(c);
    const [{ activity, pagination }, { keys }] = await Promise.all([
      s.activity.list(accountId, { action, page, per_page: 50 }),
      s.admin.pageKeys(accountId, { page: 1, per_page: 100 }),
    ]);
    return dash.html(
      c,
      <ActivityPage
        ctx={dash.pageContext(c)}
        entries={activity}
        pagination={pagination}
        action={action}
        keyNames={new Map(keys.map((k) => [k.id, k.name]))}
        currency={s.config.pricing.currency}
      />,
    );
  });
}

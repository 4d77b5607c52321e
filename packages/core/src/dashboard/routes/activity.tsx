/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { ActivityPage } from '../pages/activity';
import {
  accountOf,
  both,
  type DashboardEnv,
  type DashboardGuards,
  html,
  listing,
  pageContext,
} from './context';

/** The audit log. */
export function activityRoutes(s: Services, { counted }: DashboardGuards) {
  return new Hono<DashboardEnv>().on('GET', both('/dashboard/activity'), ...counted, async (c) => {
    const { action, page } = parseForm(forms.activity, listing(c).values);
    const { activity, pagination } = await s.activity.list(accountOf(c), { action, page, per_page: 50 });
    return html(
      c,
      <ActivityPage ctx={pageContext(c)} entries={activity} pagination={pagination} action={action} />,
    );
  });
}

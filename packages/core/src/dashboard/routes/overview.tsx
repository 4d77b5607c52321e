/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { OverviewPage } from '../pages/overview';
import { accountOf, type DashboardEnv, type DashboardGuards, html, listing, pageContext } from './context';

/** The overview: balance, usage, carriers, the daily chart. */
export function overviewRoutes(s: Services, { counted }: DashboardGuards) {
  return new Hono<DashboardEnv>().on('GET', ['/dashboard', '/dashboard/'], ...counted, async (c) => {
    parseForm(forms.empty, listing(c).values);
    const usage = await s.usage.overview(accountOf(c));
    return html(c, <OverviewPage ctx={pageContext(c)} usage={usage} carriers={s.carriers()} />);
  });
}

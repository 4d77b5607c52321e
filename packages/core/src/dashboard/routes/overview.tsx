/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { OverviewPage } from '../pages/overview';
import * as dash from './context';

/** The overview: balance, usage, carriers, the daily chart. */
export function overviewRoutes(s: Services, { counted }: dash.DashboardGuards) {
  return new Hono<dash.DashboardEnv>().on('GET', ['/dashboard', '/dashboard/'], ...counted, async (c) => {
    parseForm(forms.empty, dash.listing(c).values);
    const [usage, carriers] = await Promise.all([
      s.usage.overview(dash.accountOf(c), dash.pageContext(c).fmt.zone),
      s.carriers(),
    ]);
    return dash.html(c, <OverviewPage ctx={dash.pageContext(c)} usage={usage} carriers={carriers} />);
  });
}

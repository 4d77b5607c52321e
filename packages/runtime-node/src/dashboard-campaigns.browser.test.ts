import { afterAll, beforeAll, it } from 'vitest';
import { campaignToSegment, fitsEveryWidth, signIn } from '../../core/test/dashboard-flows';
import { dashboardInChromium } from '../test/dashboard-browser';

const ADMIN = 'mk_live_dashboardcampaigns0123456789abcdef0123456';

let ui: Awaited<ReturnType<typeof dashboardInChromium>>;
/** The segment and the campaign the flow makes, whose pages the last test looks at in both languages. */
let made: Awaited<ReturnType<typeof campaignToSegment>>;

beforeAll(async () => {
  ui = await dashboardInChromium(ADMIN);
}, 60_000);

afterAll(async () => {
  await ui?.close();
});

it('makes a segment, a personalised campaign to it, sees three previews and the quote, confirms, and watches it complete', async () => {
  await signIn(ui);
  made = await campaignToSegment(ui);
});

it('fits the campaign and segment pages at 1,280 px and at 375 px wide, in both languages', () =>
  fitsEveryWidth(
    ui,
    {
      segments: '/segments/',
      segment: made.segment,
      campaigns: '/campaigns/',
      'campaign-new': '/campaigns/new/',
      campaign: made.campaign,
    },
    'campaigns-06',
  ));

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, it } from 'vitest';
import {
  campaignToSegment,
  type DashboardUnderTest,
  dashboardUnderTest,
  everyPageInSwahili,
  launchChromium,
  monthOfDeliveryReports,
  senderIdApproved,
  sendToTwoNumbers,
} from '../../core/test/dashboard-flows';
import { ADMIN_KEY, startWorker, type TestWorker } from '../test/miniflare';

const OPERATOR_KEY = 'mk_op_workersdashboard0123456789abcdefgh';

let w: TestWorker;
let browser: Browser;
let ui: DashboardUnderTest;
/** The pages the journey made (a message, a segment, a campaign, a month's usage), looked at last. */
const made: Record<string, string> = {};

beforeAll(async () => {
  w = await startWorker({
    listen: true,
    vars: { MIFUMO_OPERATOR_KEY: OPERATOR_KEY },
    config: { carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 0 }] },
  });
  browser = await launchChromium();
  ui = dashboardUnderTest({
    page: await browser.newPage({ viewport: { width: 1280, height: 900 } }),
    api: new URL('api/integration', w.url).href,
    adminKey: ADMIN_KEY,
    operatorKey: OPERATOR_KEY,
    shotPrefix: 'workers-',
    // What the send's own dispatch left, the cron trigger settles, as Cloudflare's would each minute.
    settle: async () => {
      await w.cron();
    },
    advanceClock: (ms) => w.advanceClock(ms),
  });
  ui.page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

it('signs in on Workers + D1, sends to two numbers on the Send page with the UCS-2 fix, and sees both delivered', async () => {
  made.message = await sendToTwoNumbers(ui);
});

it('makes a segment and a personalised campaign to it, and watches it complete', async () => {
  Object.assign(made, await campaignToSegment(ui));
});

it('requests a sender ID, sees the operator approve it with the CLI (--remote), and sends with it; exports a month of delivery reports', async () => {
  const senderId = await senderIdApproved(ui);
  made['usage-month'] = await monthOfDeliveryReports(ui, senderId);
});

// Some eighty page loads: on a loaded machine more than the default 30 s.
it(
  'shows every page of the navigation in Swahili, every page at 1,280 px and at 375 px in both languages, nothing wider than the screen',
  () => everyPageInSwahili(ui, made, 'journey'),
  120_000,
);

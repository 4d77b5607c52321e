import { afterAll, beforeAll, it } from 'vitest';
import {
  fitsEveryWidth,
  monthOfDeliveryReports,
  senderIdApproved,
  signIn,
} from '../../core/test/dashboard-flows';
import { dashboardInChromium } from '../test/dashboard-browser';

const ADMIN = 'mk_live_senderusagebrowser0123456789abcdef012345';

let ui: Awaited<ReturnType<typeof dashboardInChromium>>;
let senderId: string;
let usage: string;

beforeAll(async () => {
  ui = await dashboardInChromium(ADMIN);
  ui.page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(() => ui?.close());

it('requests a sender ID on its page, sees the operator approve it with the CLI, and sends with it', async () => {
  await signIn(ui);
  senderId = await senderIdApproved(ui);
});

it('shows a month of sends on the Usage page and exports its delivery reports as CSV', async () => {
  usage = await monthOfDeliveryReports(ui, senderId);
});

it('fits both pages at 1,280 px and at 375 px wide, in both languages', () =>
  fitsEveryWidth(ui, { 'sender-ids': '/sender-ids/', usage }, '23'));

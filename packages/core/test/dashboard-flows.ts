// The dashboard's user journey in headless Chromium, written once and run on every runtime (Node +
// SQLite, Workers + D1): each flow drives a Page on a gateway's dashboard through `DashboardUnderTest`,
// whose few hooks are all that differs between runtimes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { sw } from '../src/dashboard/i18n/sw';
import { csvTable } from '../src/testing/csv-table';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));
/** The built `mifumo` CLI (`npm test` builds before it runs the tests). */
const MIFUMO = fileURLToPath(new URL('../../runtime-node/bin/mifumo.js', import.meta.url));
const DAY = 86_400_000;

/** Headless Chromium, with .ci/out/dashboard/ made for its screenshots. */
export function launchChromium() {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set MIFUMO_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true });
}

/** What a runtime tells the flows about its gateway. */
export interface GatewayInChromium {
  page: Page;
  /** The gateway's API root (`http://127.0.0.1:…/api/integration`). */
  api: string;
  adminKey: string;
  /** The key the gateway was started with for `POST /operator/commands/`. */
  operatorKey: string;
  /** Put before every screenshot's name (`workers-` on Workers). */
  shotPrefix: string;
  /** Lets dispatch and delivery receipts run once (Workers: the cron trigger; Node: its loop's next turn). */
  settle(): Promise<void>;
  /** Moves the gateway's clock `ms` forward. */
  advanceClock(ms: number): Promise<void>;
}

/** The flows' view of a gateway's dashboard in Chromium (`dashboardUnderTest`). */
export type DashboardUnderTest = ReturnType<typeof dashboardUnderTest>;

/** The hooks the flows use, over what a runtime gives (`GatewayInChromium`). */
export function dashboardUnderTest(g: GatewayInChromium) {
  /** How far the flows have moved the gateway's clock. */
  let skew = 0;
  const call = (path: string, key: string, init: RequestInit = {}) =>
    fetch(`${g.api}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });
  return {
    ...g,
    dashboard: `${g.api}/dashboard`,
    /** A whole-page screenshot of `on` (the default page) as `<shotPrefix><name>.png`. */
    shot: (name: string, on: Page = g.page) =>
      on.screenshot({ path: join(SHOTS, `${g.shotPrefix}${name}.png`), fullPage: true }),
    /** A call of the API with `key`. */
    call,
    /**
     * Runs a `mifumo` command as an operator does, with the built CLI against this gateway
     * (`mifumo --remote <gateway> --json …`, the operator key in MIFUMO_OPERATOR_KEY); what it printed.
     */
    async operator(...argv: string[]) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [MIFUMO, '--remote', new URL(g.api).origin, '--json', ...argv],
        { env: { PATH: process.env.PATH, MIFUMO_OPERATOR_KEY: g.operatorKey } },
      );
      return JSON.parse(stdout);
    },
    /** The gateway's time now. */
    now: () => Date.now() + skew,
    /** Moves the gateway's clock forward to `instant` (never back). */
    async advanceTo(instant: number) {
      const ms = instant - (Date.now() + skew);
      if (ms <= 0) return;
      await g.advanceClock(ms);
      skew += ms;
    },
    /** Reads `read` until `done` holds, letting the gateway settle between reads (20 s at most); the last value. */
    async settled<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
      const end = Date.now() + 20_000;
      let value = await read();
      while (!done(value) && Date.now() < end) {
        await g.settle();
        value = await read();
      }
      return value;
    },
  };
}

/** Signs in with the admin key typed in the sign-in form. */
export async function signIn(t: DashboardUnderTest, page = t.page) {
  await page.goto(`${t.dashboard}/sign-in`);
  await page.getByLabel('Admin API key').fill(t.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${t.dashboard}/`);
}

/** The dashboard path (`/messages/…/`) of a URL's path. */
const inDashboard = (path: string) => path.replace(/^.*\/dashboard/, '');
/** The dashboard path of the page the browser is on. */
const dashboardPath = (page: Page) => inDashboard(new URL(page.url()).pathname);
/** A page's short name, for its screenshots: the last word of its path. */
const nameOf = (path: string) => inDashboard(path).split('/').filter(Boolean).at(-1) ?? 'overview';

/** Waits on a message's page (which reloads itself) until its `recipients` are delivered. */
export async function allDelivered(t: DashboardUnderTest, page: Page, recipients: number) {
  const count = () =>
    page
      .locator('[data-recipient] .status.delivered')
      .count()
      .catch(() => 0);
  expect(await t.settled(count, (n) => n === recipients)).toBe(recipients);
}

/**
 * Flow 1: signs in, writes to two numbers on the Send page, sees the live preview warn of UCS-2 for a
 * curly apostrophe and fixes it in one click, sends and watches both recipients reach delivered. The
 * message's dashboard path.
 */
export async function sendToTwoNumbers(t: DashboardUnderTest): Promise<string> {
  const { page } = t;
  const text = (selector: string) => page.locator(selector).textContent();
  await signIn(t);
  await page.getByRole('link', { name: 'Send', exact: true }).click();
  await page.waitForURL(`${t.dashboard}/send/`);
  await page.getByLabel('Phone numbers').fill('0754 123 456, 0755 111 222');
  await page.getByLabel('Text').fill('Karibu dukani’ leo');
  await page.locator('#f-encoding', { hasText: 'UCS-2' }).waitFor();
  await expect(text('#f-segments')).resolves.toBe('1');
  await expect(text('#f-left')).resolves.toBe('52');
  await expect(text('#f-forcing code')).resolves.toBe('’ U+2019');
  await t.shot('20-send-ucs2-warning');
  await page.getByRole('button', { name: "Replace with '" }).click();
  await page.locator('#f-encoding', { hasText: 'GSM-7' }).waitFor();
  await expect(page.getByLabel('Text').inputValue()).resolves.toBe("Karibu dukani' leo");
  await expect(page.locator('#f-forcing').isHidden()).resolves.toBe(true);
  await expect(text('#f-left')).resolves.toBe('142');
  // The cost comes from the server's quote, fetched as typing stops.
  await page.locator('#f-cost', { hasText: '(2 recipients × 1 segment)' }).waitFor();
  await t.shot('21-send-fixed');

  await page.getByRole('button', { name: 'Send message' }).click();
  await page.waitForURL(/\/messages\/msg_\w+\/\?done=message-sent$/);
  await expect(page.getByRole('status').first().textContent()).resolves.toContain('Message sent.');
  await allDelivered(t, page, 2);
  await expect(page.locator('meta[http-equiv="refresh"]').count()).resolves.toBe(0);
  await t.shot('22-send-delivered');
  return dashboardPath(page);
}

/**
 * Flow 2 (signed in): imports four customers, makes a segment of three (its count following the
 * criteria as they are typed), writes a personalised campaign to it, sees three previews and the quote,
 * confirms and watches it complete. The segment's and the campaign's dashboard paths.
 */
export async function campaignToSegment(t: DashboardUnderTest) {
  const { page } = t;
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByLabel('CSV file').setInputFiles({
    name: 'wateja.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'name,phone_number,tags\nAsha Mushi,0754500001,wateja\nJuma Kweka,0754500002,wateja\nNeema Lyimo,0754500003,wateja\nBaraka,0754500004,wengine\n',
    ),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.locator('#import-report').textContent()).resolves.toContain('4 created');

  await page.getByRole('link', { name: 'Segments' }).click();
  await expect(page.locator('h1').textContent()).resolves.toBe('Segments');
  await page.getByLabel('Name').fill('Wateja');
  const tags = page.getByLabel('Having any of these tags');
  await tags.fill('wateja');
  // The script posts the criteria a moment after typing stops and shows the count.
  await page.locator('[data-count="3"]').waitFor();
  await expect(page.locator('[data-count]').textContent()).resolves.toBe('3 contacts match now.');
  await tags.fill('wateja, wengine');
  await page.locator('[data-count="4"]').waitFor();
  await tags.fill('wateja');
  await page.locator('[data-count="3"]').waitFor();
  await t.shot('campaigns-01-segment-count');
  await page.getByRole('button', { name: 'Create segment' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Segment created.');
  await expect(page.locator('h2', { hasText: 'Members' }).textContent()).resolves.toBe('Members (3)');
  await expect(page.locator('tr[data-member]').count()).resolves.toBe(3);
  const segment = dashboardPath(page);
  await t.shot('campaigns-02-segment');

  await page.getByRole('link', { name: 'Send a campaign to this segment' }).click();
  await expect(page.locator('h1').textContent()).resolves.toBe('New campaign');
  await expect(page.locator('#c-segment option:checked').textContent()).resolves.toBe('Wateja (3 contacts)');
  await page.getByLabel('Name', { exact: true }).fill('Ofa ya wiki');
  const message = page.getByLabel('Message', { exact: true });
  await message.fill('Habari ');
  // The script made each placeholder a button that inserts it where the cursor is.
  await page.getByRole('button', { name: 'Insert {first_name} into the message' }).click();
  await message.press('End');
  await message.pressSequentially(', ofa ya wiki iko dukani.');
  await expect(message.inputValue()).resolves.toBe('Habari {first_name}, ofa ya wiki iko dukani.');
  await page.getByRole('button', { name: 'Preview and quote' }).click();

  const quote = page.locator('#quote');
  await expect(quote.locator('[data-preview] blockquote').allTextContents()).resolves.toEqual([
    'Habari Asha, ofa ya wiki iko dukani.',
    'Habari Juma, ofa ya wiki iko dukani.',
    'Habari Neema, ofa ya wiki iko dukani.',
  ]);
  await expect(quote.locator('[data-quote="recipients"]').textContent()).resolves.toBe('3');
  await expect(quote.locator('[data-quote="segments"]').textContent()).resolves.toBe('3');
  await expect(quote.locator('[data-quote="suppressed"]').textContent()).resolves.toBe('0');
  const cost = await quote.locator('[data-quote="cost"]').textContent();
  await t.shot('campaigns-03-quote');
  await page.getByRole('button', { name: /^Confirm and send/ }).click();

  await expect(page.getByRole('status').first().textContent()).resolves.toContain('Campaign created');
  const campaign = dashboardPath(page);
  // The page keeps itself up to date (its script) until the fake carrier has delivered every message.
  const completed = () => page.locator('#live[data-status="completed"]').count();
  expect(await t.settled(completed, (n) => n === 1)).toBe(1);
  await expect(page.locator('#live li[data-part="delivered"] strong').textContent()).resolves.toBe('3');
  await expect(page.locator('#live').textContent()).resolves.toContain('No recipient has failed.');
  await expect(page.getByRole('button', { name: /Cancel campaign/ }).count()).resolves.toBe(0);
  await t.shot('campaigns-04-campaign-completed');

  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  const row = page.locator('tr[data-campaign]');
  await expect(row.count()).resolves.toBe(1);
  await expect(row.locator('.status').textContent()).resolves.toBe('Completed');
  await expect(row.textContent()).resolves.toContain(cost!);
  await t.shot('campaigns-05-campaigns');
  const listed = await t.call('/v1/campaigns/', t.adminKey);
  expect((await listed.json()).data.campaigns).toHaveLength(1);
  return { segment, campaign };
}

/**
 * Flow 3 (signed in): requests sender ID `DUKA` on the Sender IDs page (a malformed one first, refused
 * beside the field with what was typed kept), sees the API refuse it while pending, the operator approve
 * it (`mifumo --remote … sender-ids approve`) and the Send page send with it. The sender ID.
 */
export async function senderIdApproved(t: DashboardUnderTest) {
  const { page } = t;
  await page.getByRole('link', { name: 'Sender IDs' }).click();
  await page.getByLabel('Sender ID').fill('DUKA LA ASHA!');
  await page.getByLabel('Note for the gateway’s operator (optional)').fill('Duka la Asha, Arusha');
  await page.getByRole('button', { name: 'Request' }).click();
  await expect(page.locator('#s-name-error').textContent()).resolves.toMatch(/1-11 letters/);
  await expect(page.getByLabel('Sender ID').inputValue()).resolves.toBe('DUKA LA ASHA!');
  await expect(page.getByLabel(/Note for/).inputValue()).resolves.toBe('Duka la Asha, Arusha');

  await page.getByLabel('Sender ID').fill('DUKA');
  await page.getByLabel('What it sends').selectOption('transactional');
  await page.getByRole('button', { name: 'Request' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Sender ID requested');
  const row = page.locator('tr[data-sender-id="DUKA"]');
  await expect(row.getAttribute('data-status')).resolves.toBe('pending');
  await expect(row.locator('li[data-status="pending"]').count()).resolves.toBe(5);
  await t.shot('20-sender-id-requested');
  const early = await t.call('/v1/sms/send/', t.adminKey, {
    method: 'POST',
    body: JSON.stringify({ message: 'Karibu', recipients: ['+255754300000'], sender_id: 'DUKA' }),
  });
  expect(early.status).toBe(400);

  const [account] = (await t.operator('accounts', 'list')) as { id: string }[];
  await t.operator('sender-ids', 'approve', 'DUKA', '--account', account!.id);
  await page.reload();
  await expect(row.getAttribute('data-status')).resolves.toBe('approved');
  await expect(row.locator('li[data-status="approved"]').count()).resolves.toBe(5);
  await t.shot('21-sender-id-approved');
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.locator('tr[data-action="sender_id.requested"]').textContent()).resolves.toContain(
    'Sender ID DUKA requested, for transactional messages.',
  );

  await page.getByRole('link', { name: 'Send', exact: true }).click();
  await page.getByLabel('Phone numbers').fill('0754 300 000');
  await page.getByLabel('Text').fill('Karibu Duka la Asha');
  await page.getByLabel('Sender ID').selectOption('DUKA');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.waitForURL(/\/messages\/msg_\w+\/\?done=message-sent$/);
  await expect(page.getByRole('status').first().textContent()).resolves.toContain('Message sent.');
  return 'DUKA';
}

/**
 * Flow 4: sends one message a week through the API with `senderId` over the calendar month after the
 * gateway's, moves on two days into the month after, signs in again (the session has expired by the
 * gateway's clock), shows the month on the Usage page and exports its delivery reports as CSV, read back
 * and compared with what was sent. The Usage page's dashboard path.
 */
export async function monthOfDeliveryReports(t: DashboardUnderTest, senderId: string) {
  const { page } = t;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const today = new Date(t.now());
  /** The first instants (UTC) of the month after the gateway's, and of the month after that. */
  const month = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1);
  const nextMonth = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 1);
  const from = dayOf(month);
  const to = dayOf(nextMonth - DAY);
  const sends = [
    { day: 2, to: '+255754300001', operator: 'vodacom' },
    { day: 9, to: '+255684300002', operator: 'airtel' },
    { day: 16, to: '+255654300003', operator: 'yas' },
    { day: 23, to: '+255754300004', operator: 'vodacom' },
    { day: 28, to: '+255754300005', operator: 'vodacom' },
  ].map((s) => ({ ...s, day: `${from.slice(0, 8)}${String(s.day).padStart(2, '0')}` }));
  const sent: { message_id: string; to: string; day: string; operator: string }[] = [];
  for (const s of sends) {
    await t.advanceTo(Date.parse(`${s.day}T07:00:00Z`));
    const res = await t.call('/v1/sms/send/', t.adminKey, {
      method: 'POST',
      body: JSON.stringify({ message: `Habari ya ${s.day}`, recipients: [s.to], sender_id: senderId }),
    });
    expect(res.status, s.day).toBe(200);
    sent.push({ ...s, message_id: (await res.json()).data.message_id });
  }

  await t.advanceTo(nextMonth + 2 * DAY + 7 * 3_600_000);
  await signIn(t);
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page.locator('[data-range]').getAttribute('data-range')).resolves.toBe(
    `${dayOf(nextMonth)}/${dayOf(t.now())}`,
  );
  await page.getByLabel('From').fill(from);
  await page.getByLabel('To (included)').fill(to);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(`${t.dashboard}/usage/?from=${from}&to=${to}`);
  await expect(page.getByRole('link', { name: 'Last month' }).getAttribute('aria-current')).resolves.toBe(
    'true',
  );
  const total = page.locator('tr.total').first().locator('td');
  await expect(total.nth(0).textContent()).resolves.toBe('5');
  await expect(page.locator('svg.chart').getAttribute('data-total')).resolves.toBe('5');
  for (const s of sends)
    await expect(page.locator(`tr[data-day="${s.day}"] td`).nth(1).textContent(), s.day).resolves.toBe('1');
  await expect(page.locator('tr[data-operator="vodacom"] td').nth(2).textContent()).resolves.toBe('3');
  await t.shot('22-usage-month');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Delivery reports/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`delivery-reports_${from}_${to}.csv`);
  const rows = csvTable((await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, ''));
  expect(
    rows.map((r) => ({
      message_id: r.message_id,
      to: r.recipient,
      operator: r.operator,
      sender: r.sender_id,
      // Sent at 07:00 UTC, the gateway's clock running on since: 10:00 in Dar es Salaam.
      created: r.created_at!.slice(0, 16) + r.created_at!.slice(-6),
    })),
  ).toEqual(
    sent.map((s) => ({
      message_id: s.message_id,
      to: s.to,
      operator: s.operator,
      sender: senderId,
      created: `${s.day}T10:00+03:00`,
    })),
  );
  return `/usage/?from=${from}&to=${to}`;
}

/** A page's sideways scroll, in px (0 or less: none). */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/**
 * Opens each page (name → dashboard path) at 1,280 and at 375 px wide, in English then in Swahili (the
 * header's button), failing on any sideways scroll and saving `<prefix>-<lang>-<width>px-<name>`;
 * `atWidth` checks more at each language and width. Ends in English at 1,280 px; each page's heading in
 * each language (`headings.sw[name]`).
 */
export async function fitsEveryWidth(
  t: DashboardUnderTest,
  pages: Record<string, string>,
  prefix: string,
  atWidth: (lang: string, width: number) => Promise<void> = async () => {},
) {
  const { page } = t;
  const headings = { en: {} as Record<string, string | null>, sw: {} as Record<string, string | null> };
  for (const lang of ['en', 'sw'] as const) {
    if (lang === 'sw') await page.getByRole('button', { name: 'Kiswahili' }).click();
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [name, path] of Object.entries(pages)) {
        const res = await page.goto(`${t.dashboard}${path}`);
        expect(res?.status(), path).toBe(200);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        expect(await overflow(page), `${lang} ${width} px ${path}`).toBeLessThanOrEqual(0);
        headings[lang][name] = await page.locator('h1').textContent();
        await t.shot(`${prefix}-${lang}-${width}px-${name}`);
      }
      await atWidth(lang, width);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  return headings;
}

/**
 * Flow 5 (signed in, in English): every page of the navigation and the `more` pages (name → path) at
 * both widths in both languages (`fitsEveryWidth`); in Swahili, the navigation's links and each of its
 * pages' headings are the Swahili catalogue's.
 */
export async function everyPageInSwahili(
  t: DashboardUnderTest,
  more: Record<string, string>,
  prefix: string,
  atWidth?: (lang: string, width: number) => Promise<void>,
) {
  const { page } = t;
  const nav = page.locator('header nav a');
  await page.goto(`${t.dashboard}/`);
  const paths = await nav.evaluateAll((as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.length).toBeGreaterThanOrEqual(9);
  const pages = Object.fromEntries(paths.map((path) => [nameOf(path), inDashboard(path)]));
  const headings = await fitsEveryWidth(t, { ...pages, ...more }, prefix, atWidth);
  await page.getByRole('button', { name: 'Kiswahili' }).click();
  const labels = await nav.allTextContents();
  await page.getByRole('button', { name: 'English' }).click();
  const swahili = Object.entries(sw);
  expect(labels.sort()).toEqual(
    swahili
      .filter(([key]) => key.startsWith('nav.'))
      .map(([, text]) => text)
      .sort(),
  );
  const texts = new Set(swahili.map(([, text]) => text));
  for (const name of Object.keys(pages)) expect(texts, name).toContain(headings.sw[name]);
}

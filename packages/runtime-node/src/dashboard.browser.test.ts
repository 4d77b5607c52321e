import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { everyPageInSwahili } from '../../core/test/dashboard-flows';
import { dashboardInChromium } from '../test/dashboard-browser';

const ADMIN = 'mk_live_dashboardbrowser0123456789abcdef01234567';

let ui: Awaited<ReturnType<typeof dashboardInChromium>>;
let gw: typeof ui.gw;
let page: Page;
let dashboard: string;
let shot: typeof ui.shot;
let api: typeof ui.call;
/** The message the API sent, whose page the later tests look at too. */
let sentMessage: string;

beforeAll(async () => {
  ui = await dashboardInChromium(ADMIN);
  ({ gw, page, dashboard, shot, call: api } = ui);
}, 60_000);

afterAll(() => ui?.close());

it('signs in with the keyboard alone, and nothing is reachable before', async () => {
  await page.goto(`${dashboard}/messages/`);
  expect(page.url()).toBe(`${dashboard}/sign-in`);
  await shot('01-sign-in');
  // The key field has focus on arrival (autofocus, applied as the page is first rendered): type and
  // press Enter, no mouse.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'api_key');
  await page.keyboard.type(ADMIN);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${dashboard}/`);
  await expect(page.locator('h1').textContent()).resolves.toBe('Overview');
  // The first Tab reaches the skip link, which moves to the content.
  await page.keyboard.press('Tab');
  await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
});

it('creates a key shown once (with a copy button), revokes it, and the API refuses it', async () => {
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByLabel('Name').fill('browser test');
  await page.getByRole('checkbox', { name: 'admin' }).uncheck();
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = await page.getByLabel('New API key').inputValue();
  expect(key).toMatch(/^mk_/);
  await page.getByRole('button', { name: 'Copy key' }).click();
  await page.getByRole('button', { name: 'Copied' }).waitFor();
  await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(key);
  await shot('02-key-created');
  expect((await api('/v1/sms/balance/', key)).status).toBe(200);

  await page.getByRole('link', { name: 'API keys' }).click();
  expect(await page.content()).not.toContain(key);
  await page.getByRole('button', { name: 'Revoke browser test' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Key revoked');
  expect((await api('/v1/sms/balance/', key)).status).toBe(401);
  await shot('03-key-revoked');
});

it('shows a message sent through the API reach delivered, with its timeline, and counts it on the overview', async () => {
  const sent = await api('/v1/sms/send/', ADMIN, {
    method: 'POST',
    body: JSON.stringify({ message: 'Karibu Mifumo', recipients: ['+255754123456'] }),
  });
  const { message_id } = (await sent.json()).data;
  sentMessage = message_id;
  await page.getByRole('link', { name: 'Messages' }).click();
  await page.getByLabel('Number contains').fill('754123456');
  await page.getByRole('button', { name: 'Search' }).click();
  const row = page.locator(`tr[data-message="${message_id}"]`);
  for (let i = 0; i < 50 && !(await row.textContent())?.includes('Delivered'); i++) {
    await page.waitForTimeout(100);
    await page.reload();
  }
  await expect(row.locator('.status').textContent()).resolves.toBe('Delivered');
  await shot('04-messages');
  await row.getByRole('link').click();
  await expect(page.locator('ol.timeline').textContent()).resolves.toMatch(/Sent .* via dev.*Delivered/);
  await shot('05-message-timeline');

  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.locator('svg.chart').getAttribute('data-total')).resolves.toBe('1');
  // Today in the zone the page names (the chart's days are the account's).
  const zone = (await page.locator('[data-zone]').first().getAttribute('data-zone'))!;
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date());
  await expect(page.locator(`svg.chart g[data-day="${today}"]`).getAttribute('data-total')).resolves.toBe(
    '1',
  );
  await shot('06-overview');
});

it('imports a CSV with one bad row and reports that row', async () => {
  await page.getByRole('link', { name: 'Contacts' }).click();
  await page.getByLabel('CSV file').setInputFiles({
    name: 'wateja.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('name,phone_number,tags\nAsha,0754000001,arusha\nJuma,0754 000 002,\nBad,12,\n'),
  });
  await page.getByRole('button', { name: 'Import' }).click();
  await expect(page.locator('#import-report').textContent()).resolves.toContain(
    '3 rows read: 2 created, 0 updated, 0 skipped (already there), 1 refused.',
  );
  await expect(page.locator('#import-report tr[data-row="4"]').textContent()).resolves.toContain(
    'phone_number',
  );
  await expect(page.locator('h2', { hasText: 'Contacts (' }).textContent()).resolves.toBe('Contacts (2)');
  await shot('07-contacts-import');
});

it('opens a conversation from the inbox and replies from the number it came in on', async () => {
  const accountId = gw.bootstrapped!.account.id;
  await gw.mifumo.admin.addNumber(
    { accountId, number: '15777' },
    { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true },
  );
  await gw.mifumo.receive('dev', { from: '255754000777', to: '15777', text: 'Habari, mna sukari?' });
  await page.getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('link', { name: '+255754000777' }).click();
  await expect(page.locator('h1').textContent()).resolves.toBe('Conversation with +255754000777');
  await page.getByLabel('Message').fill('Ndiyo, karibu dukani');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Reply sent.');
  const sent = page.locator('tr[data-direction="out"]');
  await expect(sent.textContent()).resolves.toContain('Ndiyo, karibu dukani');
  await expect(sent.locator('td.mono').textContent()).resolves.toBe('15777');
  await shot('08-conversation');
});

it('opts a number out, finds it, and opts it in again with evidence', async () => {
  await page.getByRole('link', { name: 'Opt-outs' }).click();
  await page.getByLabel('Phone number').fill('0754 000 778');
  await page.getByLabel('Reason (optional)').fill('Asked by phone');
  await page.getByRole('button', { name: 'Opt out' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Number opted out.');
  await page.getByRole('searchbox', { name: 'Number' }).fill('0754000778');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: '+255754000778' }).click();
  await expect(page.locator('tr[data-action="opted_out"]').textContent()).resolves.toContain(
    'Asked by phone',
  );
  await page.getByLabel(/Evidence/).fill('Sent START on the shop’s number');
  await page.getByRole('button', { name: 'Opt in again' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Number opted in again.');
  await expect(page.locator('tr[data-action="opted_in"]').textContent()).resolves.toContain('dashboard');
  await shot('09-opt-out-history');
});

it('saves the settings; a refused time zone keeps what was typed and says why beside it', async () => {
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
  await page.getByLabel('Webhook URL').fill('https://hooks.example.co.tz/sms');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#time_zone-error').textContent()).resolves.toContain('IANA time zone');
  await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('Mars/Olympus_Mons');
  await expect(page.getByLabel('Webhook URL').inputValue()).resolves.toBe('https://hooks.example.co.tz/sms');
  await shot('10-settings-refused');
  await page.getByLabel('Time zone').fill('Africa/Dar_es_Salaam');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Settings saved.');
  await expect(page.getByLabel('Time zone').inputValue()).resolves.toBe('Africa/Dar_es_Salaam');
});

it('switches to Swahili from the header, on the same page, and back', async () => {
  await page.getByRole('link', { name: 'API keys' }).click();
  await page.getByRole('button', { name: 'Kiswahili' }).click();
  await page.waitForURL(`${dashboard}/keys/`);
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sw');
  await expect(page.locator('h1').textContent()).resolves.toBe('Funguo za API');
  await page.getByRole('link', { name: 'Muhtasari' }).click();
  await expect(page.locator('#balance').textContent()).resolves.toMatch(/^TSh\s[\d,.]+$/);
  await page.getByRole('link', { name: 'Shughuli' }).click();
  await expect(page.locator('tr[data-action="dashboard.signed_in"] td').nth(1).textContent()).resolves.toBe(
    'Kuingia kwenye dashibodi.',
  );
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('h1').textContent()).resolves.toBe('Activity');
});

it('shows every page in Swahili, fitting at 1,280 px and at 375 px wide in both languages, the keys’ Revoke buttons in view', async () => {
  await api('/v1/keys/', ADMIN, {
    method: 'POST',
    body: JSON.stringify({ name: 'Duka kuu la Arusha, mfumo wa malipo', permissions: ['read', 'write'] }),
  });
  const pages = {
    message: `/messages/${sentMessage}/`,
    conversation: `/inbox/${encodeURIComponent('+255754000777')}/`,
    'campaign-new': '/campaigns/new/',
    'opt-out-history': `/opt-outs/${encodeURIComponent('+255754000778')}/`,
  };
  await everyPageInSwahili(ui, pages, '12', async (lang, width) => {
    await page.goto(`${dashboard}/keys/`);
    const revoke = page.locator('tr[data-key] button.danger');
    expect(await revoke.count()).toBeGreaterThanOrEqual(2);
    const outside = await revoke.evaluateAll(
      (buttons) =>
        buttons.filter((b) => {
          const r = b.getBoundingClientRect();
          const box = b.closest('.scroll')!.getBoundingClientRect();
          return r.width === 0 || r.left < box.left || r.right > box.right || r.right > window.innerWidth;
        }).length,
    );
    expect(outside, `${lang} ${width} px: Revoke buttons out of view`).toBe(0);
  });
}, 120_000); // some eighty page loads: on a loaded machine more than the default 30 s

it('signs out, and the dashboard is refused afterwards', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${dashboard}/sign-in?done=signed-out`);
  await page.goto(`${dashboard}/keys/`);
  expect(page.url()).toBe(`${dashboard}/sign-in`);
  await shot('13-signed-out');
});

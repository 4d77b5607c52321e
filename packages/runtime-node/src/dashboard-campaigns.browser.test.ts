import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dashboardInChromium } from '../test/dashboard-browser';

const ADMIN = 'mk_live_dashboardcampaigns0123456789abcdef0123456';

let open: Awaited<ReturnType<typeof dashboardInChromium>>;
let page: Page;
let dashboard: string;
/** The segment and the campaign the flow makes, whose pages the last test looks at in both languages. */
let segmentPath: string;
let campaignPath: string;

beforeAll(async () => {
  open = await dashboardInChromium(ADMIN);
  ({ page, dashboard } = open);
}, 60_000);

afterAll(async () => {
  await open?.close();
});

const shot = (name: string) => open.shot(`campaigns-${name}`);

it('signs in and imports three customers', async () => {
  await page.goto(`${dashboard}/`);
  await page.waitForURL(`${dashboard}/sign-in`);
  await page.locator('input[name="api_key"]').fill(ADMIN);
  await page.locator('input[name="api_key"]').press('Enter');
  await page.waitForURL(`${dashboard}/`);
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
});

it('makes a segment, its member count following the criteria as they are typed', async () => {
  await page.getByRole('link', { name: 'Segments' }).click();
  await expect(page.locator('h1').textContent()).resolves.toBe('Segments');
  await page.getByLabel('Name').fill('Wateja');
  await page.getByLabel('Having any of these tags').fill('wateja');
  // The script posts the criteria a moment after typing stops and shows the count.
  await page.locator('[data-count="3"]').waitFor();
  await expect(page.locator('[data-count]').textContent()).resolves.toBe('3 contacts match now.');
  await page.getByLabel('Having any of these tags').fill('wateja, wengine');
  await page.locator('[data-count="4"]').waitFor();
  await page.getByLabel('Having any of these tags').fill('wateja');
  await page.locator('[data-count="3"]').waitFor();
  await shot('01-segment-count');
  await page.getByRole('button', { name: 'Create segment' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Segment created.');
  await expect(page.locator('h2', { hasText: 'Members' }).textContent()).resolves.toBe('Members (3)');
  await expect(page.locator('tr[data-member]').count()).resolves.toBe(3);
  segmentPath = new URL(page.url()).pathname.replace(/^.*\/dashboard/, '');
  await shot('02-segment');
});

it('writes a personalised campaign to it, sees three previews and the quote, confirms, and watches it complete', async () => {
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
  await shot('03-quote');
  await page.getByRole('button', { name: /^Confirm and send/ }).click();

  await expect(page.getByRole('status').first().textContent()).resolves.toContain('Campaign created');
  campaignPath = new URL(page.url()).pathname.replace(/^.*\/dashboard/, '');
  // The page keeps itself up to date (its script) until the fake carrier has delivered every message.
  await page.locator('#live[data-status="completed"]').waitFor({ timeout: 20_000 });
  await expect(page.locator('#live li[data-part="delivered"] strong').textContent()).resolves.toBe('3');
  await expect(page.locator('#live').textContent()).resolves.toContain('No recipient has failed.');
  await expect(page.getByRole('button', { name: /Cancel campaign/ }).count()).resolves.toBe(0);
  await shot('04-campaign-completed');

  await page.getByRole('link', { name: 'Campaigns', exact: true }).click();
  const row = page.locator('tr[data-campaign]');
  await expect(row.count()).resolves.toBe(1);
  await expect(row.locator('.status').textContent()).resolves.toBe('Completed');
  await expect(row.textContent()).resolves.toContain(cost!);
  await shot('05-campaigns');
  const listed = await open.api('/v1/campaigns/', ADMIN);
  expect((await listed.json()).data.campaigns).toHaveLength(1);
});

it('fits the campaign and segment pages at 1,280 px and at 375 px wide, in both languages', async () => {
  const pages = {
    segments: '/segments/',
    segment: segmentPath,
    campaigns: '/campaigns/',
    'campaign-new': `/campaigns/new/`,
    campaign: campaignPath,
  };
  await open.fitsEveryWidth(pages, 'campaigns-06');
});

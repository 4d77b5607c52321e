import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_KEY, startWorker, type TestWorker } from '../test/miniflare';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));

let w: TestWorker;
let browser: Browser;
let page: Page;
let dashboard: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set MIFUMO_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  w = await startWorker({
    listen: true,
    config: { carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 0 }] },
  });
  dashboard = new URL('api/integration/dashboard', w.url).href;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await w?.close();
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `workers-${name}.png`), fullPage: true });

it('signs in on Workers + D1 and shows a message sent through the API reach delivered', async () => {
  await page.goto(`${dashboard}/`);
  expect(page.url()).toBe(`${dashboard}/sign-in`);
  await page.getByLabel('API key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${dashboard}/`);

  const sent = await w.call('POST', '/v1/sms/send/', {
    body: { message: 'Habari kutoka Workers', recipients: ['+255754000901', '+255754000902'] },
  });
  expect(sent.status).toBe(200);
  const id = sent.json.data.message_id as string;
  // The cron trigger settles what the send's own dispatch left, as Cloudflare's would each minute.
  for (let i = 0; i < 200; i++) {
    if ((await w.call('GET', `/v1/sms/status/${id}/`)).json.data.status === 'delivered') break;
    await w.cron();
  }
  await page.goto(`${dashboard}/messages/${id}/`);
  await expect(page.locator('body').textContent()).resolves.toContain('Habari kutoka Workers');
  await page.goto(`${dashboard}/messages/`);
  const rows = page.locator(`tr[data-message="${id}"]`);
  await expect(rows.count()).resolves.toBe(2);
  await expect(rows.locator('.status.delivered').count()).resolves.toBe(2);
  await shot('messages');
});

it('shows every page of the navigation in Swahili, at 1,280 px and at 375 px, with nothing wider than the screen', async () => {
  await page.getByRole('button', { name: 'Kiswahili' }).click();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sw');
  const paths = await page
    .locator('header nav a')
    .evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
  expect(paths.length).toBeGreaterThanOrEqual(9);
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of paths) {
      const res = await page.goto(new URL(path, w.url).href);
      expect(res?.status(), path).toBe(200);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sw');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${width} px ${path}`).toBeLessThanOrEqual(0);
      await shot(`sw-${width}px-${path.split('/').filter(Boolean).at(-1)}`);
    }
  }
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
});

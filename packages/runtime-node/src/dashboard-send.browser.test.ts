import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { allDelivered, sendToTwoNumbers, signIn } from '../../core/test/dashboard-flows';
import { dashboardInChromium } from '../test/dashboard-browser';

const ADMIN = 'mk_live_dashboardsendpage0123456789abcdef0123456';

let env: Awaited<ReturnType<typeof dashboardInChromium>>;

beforeAll(async () => {
  env = await dashboardInChromium(ADMIN);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

/** A signed-in page of a new browser context (JavaScript on or off), on the Send page. */
async function sendPage(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(env, page);
  await page.getByRole('link', { name: 'Send', exact: true }).click();
  await page.waitForURL(`${env.dashboard}/send/`);
  return { context, page };
}

const text = (page: Page, selector: string) => page.locator(selector).textContent();

it('warns of UCS-2 as a curly apostrophe is typed, fixes it in one click, sends to two numbers and shows both delivered', async () => {
  await sendToTwoNumbers(env);
});

it('works without JavaScript: Preview shows the same figures and the fix, then Send sends', async () => {
  const { context, page } = await sendPage(false);
  await page.getByLabel('Phone numbers').fill('0754 000 201\n0754 000 202');
  await page.getByLabel('Text').fill('Bei mpya… karibu');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(text(page, '#f-encoding')).resolves.toBe('UCS-2');
  await expect(text(page, '#f-cost')).resolves.toContain('(2 recipients × 1 segment)');
  await env.shot('23-send-no-script-preview', page);
  await page.getByRole('button', { name: 'Replace with ...' }).click();
  await expect(text(page, '#f-encoding')).resolves.toBe('GSM-7');
  await expect(page.getByLabel('Text').inputValue()).resolves.toBe('Bei mpya... karibu');
  await expect(page.getByLabel('Phone numbers').inputValue()).resolves.toBe('0754 000 201\n0754 000 202');
  await page.getByRole('button', { name: 'Send message' }).click();
  await page.waitForURL(/\/messages\/msg_\w+\/\?done=message-sent$/);
  await allDelivered(env, page, 2);
  await context.close();
});

it('shows the Send page with its warning in both languages at 375 and 1,280 px, without overflow', async () => {
  const { context, page } = await sendPage(false);
  for (const [lang, preview] of [
    ['en', 'Preview'],
    ['sw', 'Hakiki'],
  ] as const) {
    if (lang === 'sw') await page.getByRole('button', { name: 'Kiswahili' }).click();
    await page.locator('#numbers').fill('0754 000 301');
    await page.locator('#message').fill('“Ofa” – leo tu');
    await page.getByRole('button', { name: preview }).click();
    await expect(page.locator('#f-forcing li').count()).resolves.toBe(3);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 800 });
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${lang} ${width} px`).toBeLessThanOrEqual(0);
      await env.shot(`24-send-${lang}-${width}px`, page);
    }
  }
  await context.close();
});

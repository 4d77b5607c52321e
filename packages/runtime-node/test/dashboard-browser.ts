import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, configSchema } from '@mifumo/core';
import { chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startGateway } from '../src/gateway';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));

/**
 * A gateway on a fresh SQLite file (the fake carrier `dev`, an account opened with `adminKey`) and
 * headless Chromium on its dashboard, 1,280 px wide, allowed the clipboard; `shot(name)` saves a
 * full-page screenshot under .ci/out/dashboard/ (of another page: `shot(name, page)`).
 */
export async function dashboardInChromium(adminKey: string, options: { clock?: Clock } = {}) {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set MIFUMO_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-browser-')), 'b.db')}`;
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      adminKey,
      initialBalance: 5000,
      config: configSchema.parse({ carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 100 }] }),
      secret: { value: 'cd'.repeat(32), file: '' },
    },
    { logger: { error: () => {} }, dispatchIntervalMs: 50, ...options },
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
  const page = await context.newPage();
  const dashboard = `${gw.url}/api/integration/dashboard`;
  /** A whole-page screenshot of `on` (the default page) as `name`.png. */
  const shot = (name: string, on: Page = page) =>
    on.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  return {
    gw,
    browser,
    page,
    databaseUrl,
    dashboard,
    shot,
    /** A call of the API with `key`. */
    api: (path: string, key: string, init: RequestInit = {}) =>
      fetch(`${gw.url}/api/integration${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      }),
    /**
     * Opens each page (name → path) at 1,280 and at 375 px wide, in English then in Swahili (the
     * header's button), failing on any sideways scroll and saving `<prefix>-<lang>-<width>px-<name>`;
     * `atWidth` checks more at each language and width. Ends in English at 1,280 px.
     */
    async fitsEveryWidth(
      pages: Record<string, string>,
      prefix: string,
      atWidth: (lang: string, width: number) => Promise<void> = async () => {},
    ) {
      for (const lang of ['en', 'sw']) {
        if (lang === 'sw') await page.getByRole('button', { name: 'Kiswahili' }).click();
        for (const width of [1280, 375]) {
          await page.setViewportSize({ width, height: 800 });
          for (const [name, path] of Object.entries(pages)) {
            await page.goto(`${dashboard}${path}`);
            await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - window.innerWidth,
            );
            expect(overflow, `${lang} ${width} px ${path}`).toBeLessThanOrEqual(0);
            await shot(`${prefix}-${lang}-${width}px-${name}`);
          }
          await atWidth(lang, width);
        }
        await page.setViewportSize({ width: 1280, height: 900 });
      }
      await page.getByRole('button', { name: 'English' }).click();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    },
    async close() {
      await browser.close();
      await gw.close();
    },
  };
}

import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@mifumo/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startGateway } from '../src/gateway';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
/** Where the browser tests' screenshots go. */
export const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));

/**
 * A gateway on a fresh SQLite file with the fake carrier (delivering after 100 ms), its dashboard, and
 * headless Chromium on it at 1,280 px; `shot(name)` saves a full-page screenshot, `api` calls the API
 * with a key.
 */
export async function openDashboard(adminKey: string) {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (or set MIFUMO_CHROMIUM)`);
  mkdirSync(SHOTS, { recursive: true });
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-browser-')), 'b.db')}`,
      adminKey,
      initialBalance: 5000,
      config: configSchema.parse({ carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 100 }] }),
      secret: { value: 'cd'.repeat(32), file: '' },
    },
    { logger: { error: () => {} }, dispatchIntervalMs: 50 },
  );
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
  const page: Page = await context.newPage();
  return {
    gw,
    browser,
    page,
    dashboard: `${gw.url}/api/integration/dashboard`,
    shot: (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    api: (path: string, key: string, init: RequestInit = {}) =>
      fetch(`${gw.url}/api/integration${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      }),
    /**
     * Opens each of `pages` (name: path under the dashboard) at 1,280 and at 375 px wide, in English then
     * in Swahili (switched with the header's button), expects none wider than the window, and saves a
     * screenshot `<prefix>-<lang>-<width>px-<name>`; `after(lang, width)` checks more at each width.
     * Ends in English at 1,280 px.
     */
    async fitEverywhere(
      pages: Record<string, string>,
      prefix: string,
      after: (lang: string, width: number) => Promise<void> = async () => {},
    ) {
      const dashboard = `${gw.url}/api/integration/dashboard`;
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
            await page.screenshot({
              path: join(SHOTS, `${prefix}-${lang}-${width}px-${name}.png`),
              fullPage: true,
            });
          }
          await after(lang, width);
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

export type OpenDashboard = Awaited<ReturnType<typeof openDashboard>>;

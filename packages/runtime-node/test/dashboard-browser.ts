import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@mifumo/core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startGateway } from '../src/gateway';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
/** Where the browser tests' screenshots go. */
export const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));

/**
 * A gateway on a fresh SQLite file with the fake carrier (delivering after 100 ms), its dashboard, and
 * headless Chromium on it at 1,280 px; `shot(name)` saves a full-page screenshot, `api` calls the API
 * with a key, `fits()` tells by how many pixels the page is wider than the window (0 or less: it fits).
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
    fits: () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    async close() {
      await browser.close();
      await gw.close();
    },
  };
}

export type OpenDashboard = Awaited<ReturnType<typeof openDashboard>>;

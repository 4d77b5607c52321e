import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@mifumo/core';
import { chromium, type Page } from 'playwright-core';
import { startGateway } from '../src/gateway';

/** Debian's chromium (`apt-get install chromium`, as `.ci/run` does), or another one named here. */
export const CHROMIUM = process.env.MIFUMO_CHROMIUM ?? '/usr/bin/chromium';
/** Where the browser tests' screenshots go. */
export const SHOTS = fileURLToPath(new URL('../../../.ci/out/dashboard/', import.meta.url));

/**
 * A gateway on a fresh SQLite file with the fake carrier (delivering after 100 ms), an admin key and a
 * funded account, and headless Chromium: what the dashboard's browser tests run against.
 */
export async function dashboardInBrowser(adminKey: string) {
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
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  return {
    gw,
    browser,
    dashboard: `${gw.url}/api/integration/dashboard`,
    /** A whole-page screenshot of `page` as `name`.png. */
    shot: (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    async close() {
      await browser.close();
      await gw.close();
    },
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import { dashboardUnderTest, launchChromium } from '../../core/test/dashboard-flows';
import { startGateway } from '../src/gateway';

const OPERATOR_KEY = 'mk_op_dashboardbrowser0123456789abcdefgh';

/**
 * A gateway on a fresh SQLite file (the fake carrier `dev`, an account opened with `adminKey`, the
 * operator endpoint on) and headless Chromium on its dashboard, 1,280 px wide, allowed the clipboard:
 * the shared flows' `DashboardUnderTest` (the gateway's clock moved by `advanceTo`), with the gateway.
 */
export async function dashboardInChromium(adminKey: string) {
  const databaseUrl = `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-browser-')), 'b.db')}`;
  let skew = 0;
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl,
      adminKey,
      operatorKey: OPERATOR_KEY,
      initialBalance: 5000,
      config: configSchema.parse({ carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 100 }] }),
      secret: { value: 'cd'.repeat(32), file: '' },
    },
    { logger: { error: () => {} }, dispatchIntervalMs: 50, clock: { now: () => Date.now() + skew } },
  );
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: gw.url });
  const t = dashboardUnderTest({
    page: await context.newPage(),
    api: `${gw.url}/api/integration`,
    adminKey,
    operatorKey: OPERATOR_KEY,
    shotPrefix: '',
    // The dispatch loop runs by itself every 50 ms: let it.
    settle: () => new Promise((r) => setTimeout(r, 50)),
    advanceClock: async (ms) => {
      skew += ms;
    },
  });
  return {
    ...t,
    gw,
    browser,
    async close() {
      await browser.close();
      await gw.close();
    },
  };
}

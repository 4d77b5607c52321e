import { createAdmin } from '@mifumo/core';
import { runApiSuite, SUITE_CONFIG } from '@mifumo/core/testing';
import { ADMIN_KEY, startWorker } from '../test/miniflare';
import { d1Driver } from './d1';

runApiSuite('workerd + D1', async () => {
  const w = await startWorker({ config: SUITE_CONFIG });
  await w.call('GET', '/v1/sms/balance/', { key: ADMIN_KEY }); // the isolate migrates and bootstraps
  // Accounts are made as an operator would: straight on the same D1 database, from outside the Worker.
  const admin = createAdmin({ storage: d1Driver((await w.d1()) as never), currency: 'TZS' });
  return {
    async call(method, path, init = {}) {
      const r = await w.call(method, path, init);
      return { ...r, headers: Object.fromEntries(r.headers) };
    },
    async newAccount(balance, limits) {
      const account = await admin.createAccount({ name: 'Suite', balance });
      if (limits) await admin.setLimits(account.id, limits);
      const { key } = await admin.createKey({ accountId: account.id, name: 'suite', permissions: ['admin'] });
      return { key, accountId: account.id };
    },
    async addNumber(accountId, number, keyword) {
      const rules = { defaultRegion: 'TZ', carrierIds: ['dev', 'at'], allowPrivateNetworks: false };
      await admin.addNumber({ accountId, number, keyword }, rules);
    },
    async settle() {
      await w.cron();
    },
    close: () => w.close(),
  };
});

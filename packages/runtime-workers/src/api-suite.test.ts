import { createAdmin } from '@mifumo/core';
import { runApiSuite } from '@mifumo/core/testing';
import { ADMIN_KEY, startWorker } from '../test/miniflare';
import { d1Driver } from './d1';

runApiSuite('workerd + D1', async () => {
  const w = await startWorker({ config: { carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 0 }] } });
  await w.call('GET', '/v1/sms/balance/', { key: ADMIN_KEY }); // the isolate migrates and bootstraps
  // Accounts are made as an operator would: straight on the same D1 database, from outside the Worker.
  const admin = createAdmin({ storage: d1Driver((await w.d1()) as never), currency: 'TZS' });
  return {
    call: (method, path, init = {}) => w.call(method, path, init),
    async newAccount(balance) {
      const account = await admin.createAccount({ name: 'Suite', balance });
      return admin.createKey({ accountId: account.id, name: 'suite', permissions: ['admin'] });
    },
    async settle() {
      await w.cron();
    },
    close: () => w.close(),
  };
});

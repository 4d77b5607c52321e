import { runApiSuite, SUITE_CONFIG, SUITE_OPERATOR_KEY } from '@mifumo/core/testing';
import { ADMIN_KEY, startWorker } from '../test/miniflare';

runApiSuite('workerd + D1', async () => {
  const w = await startWorker({ config: SUITE_CONFIG, vars: { MIFUMO_OPERATOR_KEY: SUITE_OPERATOR_KEY } });
  await w.call('GET', '/v1/sms/balance/', { key: ADMIN_KEY }); // the isolate migrates and bootstraps
  return {
    async call(method, path, init = {}) {
      const r = await w.call(method, path, init);
      return { ...r, headers: Object.fromEntries(r.headers) };
    },
    async settle() {
      await w.cron();
    },
    close: () => w.close(),
  };
});

// A host app a user writes after `npm install @mifumo/core @mifumo/adapters @mifumo/runtime-node hono`:
// it mounts the gateway under /sms and sends through it. Run from the packed tarballs by the test.
import { createFakeCarrier } from '@mifumo/adapters/fake';
import { createMifumo, migrateToLatest } from '@mifumo/core';
import { openDatabase } from '@mifumo/runtime-node';
import { Hono } from 'hono';

const database = openDatabase(`file:${process.argv[2]}`);
await migrateToLatest(database.db);
const mifumo = createMifumo({
  secret: 'cGFja2VkLXBhY2thZ2VzLXRlc3Qtc2VjcmV0LTEyMzQ=',
  storage: database,
  carriers: [createFakeCarrier({ id: 'dev', deliveryDelayMs: 0 })],
});
await mifumo.start();
const account = await mifumo.admin.createAccount({ name: 'Duka', balance: 100 });
const { key } = await mifumo.admin.createKey({ accountId: account.id, name: 'shop', permissions: ['admin'] });

const host = new Hono();
host.get('/', (c) => c.text('Duka'));
host.route('/sms', mifumo.app);

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const sent = await host.request('/sms/v1/sms/send/', {
  method: 'POST',
  headers,
  body: JSON.stringify({ message: 'Karibu', recipients: ['+255754000001'] }),
});
const { data } = await sent.json();
await mifumo.dispatchDue();
await mifumo.settled();
const status = await (await host.request(`/sms/v1/sms/status/${data.message_id}/`, { headers })).json();
const docs = await host.request('/sms/documentation/');
const dashboard = await host.request('/sms/dashboard/', { redirect: 'manual' });
console.log(
  JSON.stringify({
    home: await (await host.request('/')).text(),
    sent: sent.status,
    status: status.data.status,
    documentation: docs.status,
    dashboard: dashboard.headers.get('location'),
  }),
);
await mifumo.close();
await database.close();

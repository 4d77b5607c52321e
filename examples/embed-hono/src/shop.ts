import { createFakeCarrier } from '@mifumo/adapters/fake';
import { createMifumo, GatewayError, migrateToLatest } from '@mifumo/core';
import { openDatabase, startWorkLoop } from '@mifumo/runtime-node';
import { Hono } from 'hono';
import { basicAuth } from 'hono/basic-auth';
import { HTTPException } from 'hono/http-exception';

/**
 * An existing shop app that mounts the SMS gateway under /sms and also sends from its own routes
 * through the in-process API (same validation, pricing and ledger as the HTTP endpoint).
 */
export async function createShop(
  databaseUrl = 'file::memory:',
  // 32 random bytes (`openssl rand -base64 32`), kept like a password: it seals webhook keys at rest.
  secret = process.env.MIFUMO_SECRET ?? 'ZXhhbXBsZS1vbmx5LWRvLW5vdC11c2UtaW4tcHJvZCE=',
  staffPassword = process.env.SHOP_STAFF_PASSWORD ?? 'mama-asha',
) {
  const database = openDatabase(databaseUrl);
  await migrateToLatest(database.db);
  const mifumo = createMifumo({
    secret,
    storage: database,
    carriers: [createFakeCarrier({ id: 'dev', deliveryDelayMs: 50 })],
    config: { senderIds: ['MIFUMO', 'DUKA'] },
    onQueued: () => loop.kick(),
  });
  await mifumo.start();
  const loop = startWorkLoop(() => mifumo.dispatchDue(), { intervalMs: 1000, onError: console.error });
  const webhooks = startWorkLoop(() => mifumo.deliverWebhooksDue(), {
    intervalMs: 500,
    onError: console.error,
  });

  const account = await mifumo.admin.createAccount({ name: 'Duka', balance: 1000 });
  const { key } = await mifumo.admin.createKey({
    accountId: account.id,
    name: 'shop',
    permissions: ['admin'],
  });

  const app = new Hono();
  app.get('/', (c) => c.text('Duka la Mama Asha'));
  // The shop's own auth in front of the gateway (which then checks its API key as usual).
  app.use('/sms/*', basicAuth({ username: 'staff', password: staffPassword }));
  app.route('/sms', mifumo.app);
  app.post('/orders/:id/confirm', async (c) => {
    const { phone } = await c.req.json<{ phone: string }>();
    const sent = await mifumo.api.send(account.id, {
      message: `Oda ${c.req.param('id')} imethibitishwa. Asante!`,
      recipients: [phone],
      sender_id: 'DUKA',
    });
    return c.json({ order: c.req.param('id'), sms: sent.message_id, cost: sent.cost });
  });
  // The gateway's errors keep their envelope when your own handler meets them; the login's 401 stays one.
  app.onError((err, c) => {
    if (err instanceof GatewayError || err instanceof HTTPException) return err.getResponse();
    return c.text('Internal error', 500);
  });

  return {
    app,
    mifumo,
    apiKey: key,
    async close() {
      await loop.stop();
      await webhooks.stop();
      await mifumo.close();
      await database.close();
    },
  };
}

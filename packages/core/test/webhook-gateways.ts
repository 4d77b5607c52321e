import { afterEach, expect } from 'vitest';
import type { FreshDatabase } from './databases';
import { createTestGateway, type TestGateway } from './harness';
import { webhookReceiver } from './webhook-receiver';

const PRIVATE_OK = { webhooks: { allowPrivateNetworks: true } };

/**
 * What the webhook tests share: gateways on a fresh database that may call loopback receivers, real
 * receivers, a send, and the outbox as stored. Everything made is closed after each test.
 */
export function webhookTestKit() {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function gatewayOn(
    open: () => Promise<FreshDatabase>,
    options: Parameters<typeof createTestGateway>[0] = {},
  ) {
    const db = await open();
    const g = await createTestGateway({
      ...options,
      storage: db.storage,
      config: { ...options.config, webhooks: { ...PRIVATE_OK.webhooks, ...options.config?.webhooks } },
    });
    closers.push(db.drop, g.close);
    return g;
  }

  async function receiver(respond?: Parameters<typeof webhookReceiver>[0]) {
    const rx = await webhookReceiver(respond);
    closers.push(rx.close);
    return rx;
  }

  async function send(g: TestGateway, body: Record<string, unknown>, key = g.key) {
    const r = await g.call('POST', '/v1/sms/send/', { key, body: { message: 'Habari', ...body } });
    expect(r.status).toBe(200);
    return r.json.data.message_id as string;
  }

  /** The outbox by `sort_key` (ids compared as SQLite does; PostgreSQL's collation may differ, so tests avoid ties). */
  async function events(g: TestGateway) {
    const rows = await g.database.db.selectFrom('webhook_events').selectAll().execute();
    return rows.sort((a, b) => Number(a.sort_key) - Number(b.sort_key) || (a.id < b.id ? -1 : 1));
  }

  return { closers, gatewayOn, receiver, send, events, PRIVATE_OK };
}

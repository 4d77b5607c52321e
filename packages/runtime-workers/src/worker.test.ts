import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type TestWorker } from '../test/miniflare';

describe('the gateway inside workerd on D1', () => {
  let w: TestWorker;
  beforeAll(async () => {
    w = await startWorker({ config: { carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 0 }] } });
  });
  afterAll(() => w.close());

  it('bootstraps from MIFUMO_ADMIN_KEY and answers the seed: balance, send, status delivered after waitUntil', async () => {
    const balance = await w.call('GET', '/v1/sms/balance/');
    expect(balance.json).toMatchObject({ success: true, data: { balance: 5000, currency: 'TZS' } });
    const sent = await w.call('POST', '/v1/sms/send/', {
      body: { message: 'Hello from Mifumo SMS!', recipients: ['+255123456789'], sender_id: 'MIFUMO' },
    });
    expect(sent.json).toMatchObject({ success: true, data: { status: 'queued', cost: 10 } });
    let status = '';
    for (let i = 0; i < 100 && status !== 'delivered'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await w.call('GET', `/v1/sms/status/${sent.json.data.message_id}/`)).json.data.status;
    }
    expect(status).toBe('delivered');
  });
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { createShop } from './shop';

let shop: Awaited<ReturnType<typeof createShop>>;
beforeEach(async () => {
  shop = await createShop();
});
afterEach(() => shop.close());

it('serves its own routes and the mounted gateway side by side', async () => {
  expect(await (await shop.app.request('/')).text()).toBe('Duka la Mama Asha');
  // The shop's own staff login (Basic) in front; the gateway's key then goes as X-API-Key.
  const staff = `Basic ${btoa('staff:mama-asha')}`;
  const outsider = await shop.app.request('/sms/v1/sms/balance/', { headers: { 'X-API-Key': shop.apiKey } });
  expect(outsider.status).toBe(401);
  expect(outsider.headers.get('www-authenticate')).toContain('Basic');
  const balance = await shop.app.request('/sms/v1/sms/balance/', {
    headers: { Authorization: staff, 'X-API-Key': shop.apiKey },
  });
  expect(await balance.json()).toMatchObject({ success: true, data: { balance: 1000, currency: 'TZS' } });
  const noKey = await shop.app.request('/sms/v1/sms/balance/', { headers: { Authorization: staff } });
  expect(await noKey.json()).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS' });
});

it('sends from its own route in process, and the message is delivered', async () => {
  const res = await shop.app.request('/orders/42/confirm', {
    method: 'POST',
    body: JSON.stringify({ phone: '0754000111' }),
    headers: { 'Content-Type': 'application/json' },
  });
  const body = await res.json();
  expect(body).toMatchObject({ order: '42', cost: 10 });
  let status = '';
  for (let i = 0; i < 250 && status !== 'delivered'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    status = (await shop.mifumo.api.status((await shop.mifumo.admin.listAccounts())[0]!.id, body.sms)).status;
  }
  expect(status).toBe('delivered');
});

it('a gateway error in its own route still answers the envelope', async () => {
  const res = await shop.app.request('/orders/43/confirm', {
    method: 'POST',
    body: JSON.stringify({ phone: 'not a phone' }),
    headers: { 'Content-Type': 'application/json' },
  });
  expect(res.status).toBe(400);
  expect(await res.json()).toMatchObject({ success: false, error_code: 'INVALID_PHONE' });
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway();
});
afterEach(() => g.close());

const body = { message: 'Malipo yamepokelewa', recipients: ['+255754000111', '+255754000222'] };
const send = (key: string, b: unknown = body) =>
  g.call('POST', '/v1/sms/send/', { body: b, headers: { 'Idempotency-Key': key } });

it('a retry with the same key and body answers the first response and sends nothing more', async () => {
  const first = await send('order-42');
  const again = await send('order-42');
  expect(again.status).toBe(200);
  expect(again.json.data).toEqual(first.json.data);
  expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(4980);
  expect((await g.call('GET', '/v1/sms/delivery-reports/')).json.data.pagination.total).toBe(2);
});

it('concurrent retries with one key make exactly one message', async () => {
  const results = await Promise.all(Array.from({ length: 20 }, () => send('burst-1')));
  expect(new Set(results.map((r) => r.json.data.message_id)).size).toBe(1);
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(4980);
});

it('the same key with another body is a CONFLICT; keys are per account; a bad key is refused', async () => {
  await send('order-43');
  const other = await send('order-43', { ...body, message: 'different' });
  expect(other.status).toBe(409);
  expect(other.json).toMatchObject({
    error_code: 'CONFLICT',
    details: { reason: 'idempotency_key_reused', idempotency_key: 'order-43' },
  });
  const second = await g.newAccount();
  const theirs = await g.call('POST', '/v1/sms/send/', {
    key: second.key,
    body,
    headers: { 'Idempotency-Key': 'order-43' },
  });
  expect(theirs.status).toBe(200);
  const bad = await send('has space');
  expect(bad.json).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'Idempotency-Key' }] });
});

it('a refused first attempt stores nothing, so the retry is tried afresh', async () => {
  const poor = await g.newAccount(5);
  const attempt = () =>
    g.call('POST', '/v1/sms/send/', { key: poor.key, body, headers: { 'Idempotency-Key': 'pay-1' } });
  expect((await attempt()).json.error_code).toBe('INSUFFICIENT_BALANCE');
  await g.mifumo.admin.topUp(poor.account.id, 100);
  expect((await attempt()).status).toBe(200);
});

it('twins near a zero balance: the one whose debit fails answers the stored response, not 402', async () => {
  // Enough for one send of two recipients (20), not two: the twin's own debit fails on the balance.
  const poor = await g.newAccount(30);
  const twin = () =>
    g.call('POST', '/v1/sms/send/', { key: poor.key, body, headers: { 'Idempotency-Key': 'twin-1' } });
  for (let round = 0; round < 5; round++) {
    const [a, b] = await Promise.all([twin(), twin()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.json.data).toEqual(a.json.data);
  }
  expect((await g.call('GET', '/v1/sms/balance/', { key: poor.key })).json.data.balance).toBe(10);
});

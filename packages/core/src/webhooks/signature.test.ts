import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, signWebhook } from './signature';

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over timestamp.body, as any HMAC library computes it', async () => {
    const body = '{"message_id":"msg_1","status":"sent"}';
    const expected = createHmac('sha256', 'whsec_abc').update(`1764650000.${body}`).digest('hex');
    expect(await signWebhook('whsec_abc', 1764650000, body)).toBe(expected);
  });

  it('signs with every secret in force, the current one first', async () => {
    const header = await signatureHeader(['new', 'old'], 1, 'b');
    const [first, second] = header.split(', ');
    expect(first).toBe(`v1=${await signWebhook('new', 1, 'b')}`);
    expect(second).toBe(`v1=${await signWebhook('old', 1, 'b')}`);
  });
});

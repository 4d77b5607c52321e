import { buildCarriers, CarrierConfigError } from '@mifumo/adapters';
import { CarrierError } from '@mifumo/core';
import { outboundMessage, runCarrierConformance } from '@mifumo/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregatorUnderTest, refusal, serveLocal, startBeemServer } from '../testing';
import { beemCarrier, createBeemCarrier } from './beem';

runCarrierConformance('beem', () =>
  aggregatorUnderTest(
    (callbackUrl) => startBeemServer({ callbackUrl }),
    (peer) => createBeemCarrier({ id: 'beem', apiKey: 'key', secretKey: 'secret', baseUrl: peer.url }),
  ),
);

const never = new AbortController().signal;
const outbound = (text: string, to = '+255754000111') => outboundMessage(text, { to });

describe('Beem adapter', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('sends the documented body with Basic auth: digits without +, encoding 0 or 8, the whole text once', async () => {
    const peer = await startBeemServer({ apiKey: 'k1', secretKey: 's1' });
    closers.push(peer.close);
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k1', secretKey: 's1', baseUrl: peer.url });
    const long = 'Karibu 😀 '.repeat(12);
    const ids = await beem.submit(outbound(long), never);
    await beem.submit(outbound('Habari'), never);
    expect(ids.carrierMessageIds).toEqual(['35918915']);
    expect(peer.sends).toEqual([
      {
        source_addr: 'MIFUMO',
        schedule_time: '',
        encoding: 8,
        message: long,
        recipients: [{ recipient_id: 1, dest_addr: '255754000111' }],
      },
      expect.objectContaining({ encoding: 0, message: 'Habari' }),
    ]);
  });

  it('credentials outside Latin-1 are sent as UTF-8 instead of failing to start', async () => {
    const peer = await startBeemServer({ apiKey: 'ufunguo…', secretKey: 'siri€' });
    closers.push(peer.close);
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'ufunguo…', secretKey: 'siri€', baseUrl: peer.url });
    expect((await beem.submit(outbound('hi'), never)).carrierMessageIds).toHaveLength(1);
  });

  it('wrong credentials (401, code 120) are retryable: ours to fix, not the message’s', async () => {
    const peer = await startBeemServer({ apiKey: 'right' });
    closers.push(peer.close);
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'wrong', secretKey: 'secret', baseUrl: peer.url });
    expect(await refusal(beem.submit(outbound('hi'), never))).toMatchObject({
      retryable: true,
      carrierCode: '120',
    });
  });

  it.each([
    [400, { code: 111, message: 'Invalid Sender Id' }, false, '111'],
    [200, { code: 102, message: 'Insufficient balance' }, true, '102'],
    [200, { successful: true, code: 100, request_id: 7, valid: 0, invalid: 1 }, false, '101'],
    [502, '<html>bad gateway</html>', true, 'HTTP_502'],
    [404, 'not here', false, 'HTTP_404'],
  ])('HTTP %i %j → retryable %s, code %s', async (status, body, retryable, code) => {
    const server = await serveLocal(
      () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status }),
    );
    closers.push(server.close);
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's', baseUrl: server.url });
    expect(await refusal(beem.submit(outbound('hi'), never))).toMatchObject({ retryable, carrierCode: code });
  });

  it('429 waits as long as Retry-After says; no answer in time is a retryable TIMEOUT', async () => {
    const server = await serveLocal(async (req) => {
      if (new URL(req.url).searchParams.has('slow')) await new Promise((r) => setTimeout(r, 1000));
      return new Response('slow down', { status: 429, headers: { 'retry-after': '7' } });
    });
    closers.push(server.close);
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's', baseUrl: server.url });
    expect(await refusal(beem.submit(outbound('hi'), never))).toMatchObject({
      retryable: true,
      retryAfterMs: 7000,
    });
    const slow = createBeemCarrier({
      id: 'beem',
      apiKey: 'k',
      secretKey: 's',
      baseUrl: `${server.url}/x?slow=1#`,
      timeoutMs: 100,
    });
    expect(await refusal(slow.submit(outbound('hi'), never))).toMatchObject({
      retryable: true,
      carrierCode: 'TIMEOUT',
    });
  });

  it.each([
    ['Status', 'DELIVERED', { status: 'delivered' }],
    ['status', 'delivered', { status: 'delivered' }],
    ['Status', 'UNDELIVERED', { status: 'failed', errorCode: 'UNDELIVERED' }],
  ])('reads a callback with %s: %s', async (key, value, expected) => {
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's' });
    const request = new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        request_id: 35918915,
        recipient_id: '1',
        dest_addr: '255754000111',
        [key]: value,
      }),
    });
    expect((await beem.handleCallback!(request)).reports).toEqual([
      {
        carrierMessageId: '35918915',
        ...expected,
        ...(expected.status === 'failed' ? { errorMessage: 'Beem reported UNDELIVERED' } : {}),
      },
    ]);
  });

  it('reads a request_id above 2^53 digit for digit, from a JSON number or a form', async () => {
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's' });
    const post = (body: string, type: string) =>
      beem.handleCallback!(
        new Request('http://x/', { method: 'POST', body, headers: { 'content-type': type } }),
      );
    const json = '{"request_id":9007199254740993,"dest_addr":"255754000111","status":"DELIVERED"}';
    expect((await post(json, 'application/json')).reports).toEqual([
      { carrierMessageId: '9007199254740993', status: 'delivered' },
    ]);
    const form = 'request_id=18446744073709551617&status=DELIVERED';
    expect((await post(form, 'application/x-www-form-urlencoded')).reports).toEqual([
      { carrierMessageId: '18446744073709551617', status: 'delivered' },
    ]);
  });

  it('ignores PENDING and refuses a callback it cannot read', async () => {
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's' });
    const post = (body: string) =>
      beem.handleCallback!(
        new Request('http://x/', { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
      );
    expect(await post('{"request_id":"1","Status":"PENDING"}')).toEqual({ reports: [], inbound: [] });
    await expect(post('{"Status":"DELIVERED"}')).rejects.toBeInstanceOf(CarrierError);
    await expect(post('[1,2]')).rejects.toBeInstanceOf(CarrierError);
  });

  it('reads a Two-Way SMS message: from, to, message (text or { text }), timestamp and its id', async () => {
    const beem = createBeemCarrier({ id: 'beem', apiKey: 'k', secretKey: 's' });
    const post = (body: unknown) =>
      beem.handleCallback!(
        new Request('http://x/', {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'content-type': 'application/json' },
        }),
      );
    expect(
      await post({
        from: '255754000111',
        to: '15678',
        message: 'DUKA sukari',
        timestamp: '2026-05-10T09:00:00Z',
        transaction_id: 'tx-1',
      }),
    ).toEqual({
      reports: [],
      inbound: [
        {
          carrierMessageId: 'tx-1',
          from: '255754000111',
          to: '15678',
          text: 'DUKA sukari',
          at: Date.UTC(2026, 4, 10, 9),
        },
      ],
    });
    expect(
      await post({ source_addr: '255754000111', dest_addr: '15678', message: { text: 'habari' } }),
    ).toEqual({
      reports: [],
      inbound: [{ from: '255754000111', to: '15678', text: 'habari' }],
    });
    await expect(post({ from: '255754000111' })).rejects.toThrow(
      'a Beem delivery report needs request_id and Status; a Two-Way SMS message from and message',
    );
  });

  it('configuration errors name carriers.N.field', () => {
    const build = () =>
      buildCarriers(
        [
          {
            id: 'beem',
            type: 'beem',
            apiKey: '',
            baseUrl: 'ftp://x',
            callbackToken: 'short',
            extra: 1,
          } as never,
        ],
        [beemCarrier],
      );
    expect(build).toThrow(CarrierConfigError);
    const problems = (() => {
      try {
        build();
      } catch (e) {
        return (e as CarrierConfigError).problems.join('\n');
      }
    })();
    for (const field of [
      'carriers.0.apiKey',
      'carriers.0.secretKey',
      'carriers.0.baseUrl',
      'carriers.0.callbackToken',
      'extra',
    ])
      expect(problems).toContain(field);
  });
});

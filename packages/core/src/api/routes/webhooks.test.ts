import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestGateway, manualClock, type TestGateway } from '../../../test/harness';
import { webhookReceiver } from '../../../test/webhook-receiver';

let g: TestGateway;
const clock = manualClock(Date.now());
beforeEach(async () => {
  g = await createTestGateway({ clock });
});
afterEach(() => g.close());

const ENVELOPE_KEYS = ['data', 'details', 'error_code', 'message', 'success'];

describe('GET/PUT /v1/webhooks', () => {
  it('shows the settings with a signing secret made on first use, and changes URL and Bearer', async () => {
    const first = await g.call('GET', '/v1/webhooks/');
    expect(first.status).toBe(200);
    expect(Object.keys(first.json).sort()).toEqual(ENVELOPE_KEYS);
    expect(first.json.data).toEqual({
      url: null,
      bearer_auth: true,
      signing_secret: expect.stringMatching(/^whsec_[0-9A-Za-z]{32}$/),
      previous_secret_valid_until: null,
    });
    expect((await g.call('GET', '/v1/webhooks')).json.data.signing_secret).toBe(
      first.json.data.signing_secret,
    );
    const stored = await g.database.db
      .selectFrom('webhook_settings')
      .select('signing_secret')
      .executeTakeFirstOrThrow();
    expect(stored.signing_secret).not.toContain(first.json.data.signing_secret); // sealed at rest

    const put = await g.call('PUT', '/v1/webhooks/', {
      body: { url: 'https://hooks.example.co.tz/sms', bearer_auth: false },
    });
    expect(put.status).toBe(200);
    expect(put.json.data).toMatchObject({ url: 'https://hooks.example.co.tz/sms', bearer_auth: false });
    const cleared = await g.call('PUT', '/v1/webhooks/', { body: { url: null } });
    expect(cleared.json.data).toMatchObject({ url: null, bearer_auth: false });
  });

  it.each([
    [{ url: 'ftp://example.com/x' }, 'url: only http and https URLs'],
    [{ url: 'https://me:pw@example.com/x' }, 'url: a webhook URL must not carry credentials'],
    [{ url: 'http://127.0.0.1:8080/x' }, 'url: 127.0.0.1 is a loopback address'],
    [{ url: 'http://169.254.169.254/latest' }, 'url: 169.254.169.254 is a cloud metadata address'],
    [{ url: 'http://localhost/x' }, 'url: localhost is an internal name'],
    [{ url: 'not a url' }, 'url: not a valid URL'],
  ])('refuses %j with VALIDATION_ERROR saying why', async (body, message) => {
    const r = await g.call('PUT', '/v1/webhooks/', { body });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      success: false,
      error_code: 'VALIDATION_ERROR',
      message,
      details: [{ field: 'url' }],
    });
  });

  it('refuses unknown fields, a missing url, and keys without admin', async () => {
    const unknown = await g.call('PUT', '/v1/webhooks/', { body: { url: null, secret: 'x' } });
    expect(unknown.json).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'secret' }] });
    const missing = await g.call('PUT', '/v1/webhooks/', { body: { bearer_auth: true } });
    expect(missing.json).toMatchObject({ error_code: 'VALIDATION_ERROR', details: [{ field: 'url' }] });
    const { key } = await g.newAccount(100, ['read', 'write']);
    for (const [method, path] of [
      ['GET', '/v1/webhooks/'],
      ['GET', '/v1/webhooks/deliveries/'],
      ['POST', '/v1/webhooks/rotate-secret/'],
    ] as const)
      expect((await g.call(method, path, { key })).json.error_code).toBe('PERMISSION_DENIED');
  });

  it('refuses a private webhook_url on a send too, before anything is charged', async () => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message: 'x', recipients: ['+255754000111'], webhook_url: 'http://10.0.0.5/hook' },
    });
    expect(r.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      message: 'webhook_url: 10.0.0.5 is a private address',
      details: [{ field: 'webhook_url', message: '10.0.0.5 is a private address' }],
    });
    expect((await g.call('GET', '/v1/sms/balance/')).json.data.balance).toBe(5000);
  });
});

describe('POST /v1/webhooks/rotate-secret', () => {
  it('signs with the new and the old secret during the grace period, then with the new one only', async () => {
    await g.close();
    g = await createTestGateway({ clock, config: { webhooks: { allowPrivateNetworks: true } } });
    const rx = await webhookReceiver();
    try {
      const old = (await g.call('GET', '/v1/webhooks/')).json.data.signing_secret;
      const rotated = await g.call('POST', '/v1/webhooks/rotate-secret/', {
        body: { grace_period_seconds: 3600 },
      });
      expect(rotated.status).toBe(200);
      const fresh = rotated.json.data.signing_secret;
      expect(fresh).not.toBe(old);
      expect(rotated.json.data.previous_secret_valid_until).toBe(
        new Date(clock.now() + 3_600_000).toISOString(),
      );
      const sign = (secret: string, r: (typeof rx.received)[number]) =>
        `v1=${createHmac('sha256', secret)
          .update(`${r.headers.get('x-mifumo-timestamp')}.${r.body}`)
          .digest('hex')}`;

      await g.call('POST', '/v1/sms/send/', {
        body: { message: 'x', recipients: ['+255754000111'], webhook_url: rx.url },
      });
      await g.mifumo.dispatchDue();
      await g.mifumo.deliverWebhooksDue();
      const during = rx.received[0]!;
      expect(during.headers.get('x-mifumo-signature')).toBe(`${sign(fresh, during)}, ${sign(old, during)}`);

      clock.advance(3_600_001);
      expect((await g.call('GET', '/v1/webhooks/')).json.data.previous_secret_valid_until).toBeNull();
      await g.call('POST', '/v1/sms/send/', {
        body: { message: 'y', recipients: ['+255754000112'], webhook_url: rx.url },
      });
      await g.mifumo.dispatchDue();
      await g.mifumo.deliverWebhooksDue();
      const after = rx.received.at(-1)!;
      expect(after.headers.get('x-mifumo-signature')).toBe(sign(fresh, after));
    } finally {
      await rx.close();
    }
  });

  it('takes no body (a day of grace), or a grace of 0 to drop the old secret at once; refuses more than a week', async () => {
    const noBody = await g.call('POST', '/v1/webhooks/rotate-secret/');
    expect(noBody.status).toBe(200);
    expect(noBody.json.data.previous_secret_valid_until).toBe(
      new Date(clock.now() + 86_400_000).toISOString(),
    );
    const now = await g.call('POST', '/v1/webhooks/rotate-secret/', { body: { grace_period_seconds: 0 } });
    expect(now.json.data.previous_secret_valid_until).toBeNull();
    const long = await g.call('POST', '/v1/webhooks/rotate-secret/', {
      body: { grace_period_seconds: 604_801 },
    });
    expect(long.json).toMatchObject({
      error_code: 'VALIDATION_ERROR',
      details: [{ field: 'grace_period_seconds' }],
    });
  });
});

describe('webhook deliveries', () => {
  it('are listed newest first, filtered by status and message, read one by one, and re-sent', async () => {
    await g.close();
    g = await createTestGateway({ clock, config: { webhooks: { allowPrivateNetworks: true } } });
    let first = '';
    let refused = false;
    // The first message's first event is answered 503 once, whichever of the two arrives first.
    const rx = await webhookReceiver((_n, _request, json) => {
      if (json.message_id !== first || refused) return undefined;
      refused = true;
      return new Response('down', { status: 503 });
    });
    try {
      first = (
        await g.call('POST', '/v1/sms/send/', {
          body: { message: 'a', recipients: ['+255754000111'], webhook_url: rx.url },
        })
      ).json.data.message_id;
      await g.call('POST', '/v1/sms/send/', {
        body: { message: 'b', recipients: ['+255754000112'], webhook_url: rx.url },
      });
      await g.mifumo.dispatchDue();
      await g.settle();
      await g.mifumo.deliverWebhooksDue();

      const all = (await g.call('GET', '/v1/webhooks/deliveries/')).json.data;
      expect(all.pagination).toEqual({ page: 1, per_page: 50, total: 4, total_pages: 1 });
      const pending = (await g.call('GET', '/v1/webhooks/deliveries/?status=pending')).json.data.deliveries;
      expect(pending).toHaveLength(2); // the first message's sent (503) and its delivered behind it
      expect(pending.every((d: { message_id: string }) => d.message_id === first)).toBe(true);
      const ofFirst = (await g.call('GET', `/v1/webhooks/deliveries/?message_id=${first}`)).json.data
        .deliveries;
      expect(ofFirst.map((d: { event: string }) => d.event).sort()).toEqual(['delivered', 'sent']);
      const failedOne = ofFirst.find((d: { event: string }) => d.event === 'sent');
      expect(failedOne).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_http_status: 503,
        last_error: 'HTTP 503: down',
      });

      const one = await g.call('GET', `/v1/webhooks/deliveries/${failedOne.id}/`);
      expect(one.json.data).toEqual(failedOne);
      const resent = await g.call('POST', `/v1/webhooks/deliveries/${failedOne.id}/resend/`);
      expect(resent.status).toBe(200);
      expect(resent.json.data).toMatchObject({
        status: 'pending',
        next_attempt_at: new Date(clock.now()).toISOString(),
      });
      await g.mifumo.deliverWebhooksDue();
      expect(
        (await g.call('GET', '/v1/webhooks/deliveries/?status=succeeded')).json.data.pagination.total,
      ).toBe(4);

      // A delivered one can be sent again too: the same event id, for the receiver to de-duplicate.
      await g.call('POST', `/v1/webhooks/deliveries/${failedOne.id}/resend/`);
      await g.mifumo.deliverWebhooksDue();
      expect(rx.succeeded().filter((r) => r.eventId === failedOne.id)).toHaveLength(2);
    } finally {
      await rx.close();
    }
  });

  it('of one account are invisible to another: not listed, not readable, not re-sendable', async () => {
    await g.close();
    g = await createTestGateway({ clock, config: { webhooks: { allowPrivateNetworks: true } } });
    const rx = await webhookReceiver();
    try {
      await g.call('POST', '/v1/sms/send/', {
        body: { message: 'a', recipients: ['+255754000111'], webhook_url: rx.url },
      });
      await g.mifumo.dispatchDue();
      const mine = (await g.call('GET', '/v1/webhooks/deliveries/')).json.data.deliveries[0];
      const other = await g.newAccount();
      const list = await g.call('GET', '/v1/webhooks/deliveries/', { key: other.key });
      expect(list.json.data).toEqual({
        deliveries: [],
        pagination: { page: 1, per_page: 50, total: 0, total_pages: 0 },
      });
      for (const [method, path] of [
        ['GET', `/v1/webhooks/deliveries/${mine.id}/`],
        ['POST', `/v1/webhooks/deliveries/${mine.id}/resend/`],
      ] as const) {
        const r = await g.call(method, path, { key: other.key });
        expect(r.status).toBe(404);
        expect(r.json).toMatchObject({ error_code: 'NOT_FOUND', message: `No webhook delivery ${mine.id}` });
      }
      expect((await g.call('GET', '/v1/webhooks/', { key: other.key })).json.data.url).toBeNull();
    } finally {
      await rx.close();
    }
  });

  it('refuses bad filters by name', async () => {
    const r = await g.call('GET', '/v1/webhooks/deliveries/?status=lost&per_page=500');
    expect(r.json.error_code).toBe('VALIDATION_ERROR');
    expect(r.json.details.map((d: { field: string }) => d.field).sort()).toEqual(['per_page', 'status']);
  });
});

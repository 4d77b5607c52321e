import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { gatewayOn } from '../../../test/harness';

describe.each(ENGINES)('GET /v1/activity on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('lists key, webhook and money events newest first, with who did them, filterable and paged', async () => {
    const g = gateway();
    const { account, key } = await g.newAccount(100);
    const admin = (await g.call('GET', '/v1/keys/', { key })).json.data.keys[0].id;
    const made = (
      await g.call('POST', '/v1/keys/', { key, body: { name: 'reports', permissions: ['read'] } })
    ).json.data;
    await g.call('DELETE', `/v1/keys/${made.id}/`, { key });
    await g.call('PUT', '/v1/webhooks/', {
      key,
      body: { url: 'https://hooks.example.co.tz/sms', bearer_auth: false },
    });
    await g.call('POST', '/v1/webhooks/rotate-secret/', { key, body: { grace_period_seconds: 60 } });
    const sent = (
      await g.call('POST', '/v1/sms/send/', { key, body: { message: 'Hi', recipients: ['+255754000111'] } })
    ).json.data;
    await g.mifumo.admin.topUp(account.id, 50);

    const r = await g.call('GET', '/v1/activity/', { key });
    expect(r.status).toBe(200);
    const by = (action: string) => r.json.data.activity.find((a: { action: string }) => a.action === action);
    expect(r.json.data.activity.map((a: { action: string }) => a.action)).toEqual([
      'balance.topup',
      'sms.sent',
      'webhook.secret_rotated',
      'webhook.updated',
      'key.revoked',
      'key.created',
      'account.opened',
    ]);
    expect(by('key.created')).toMatchObject({
      actor: `key:${admin}`,
      subject: made.id,
      details: { name: 'reports', permissions: ['read'] },
    });
    expect(by('webhook.updated').details).toEqual({
      url: 'https://hooks.example.co.tz/sms',
      bearer_auth: false,
    });
    expect(by('sms.sent')).toMatchObject({
      actor: `key:${admin}`,
      subject: sent.message_id,
      details: { amount: -10 },
    });
    expect(by('balance.topup')).toMatchObject({ actor: null, details: { amount: 50 } });

    const sends = await g.call('GET', '/v1/activity/?action=sms.sent', { key });
    expect(sends.json.data.pagination.total).toBe(1);
    const paged = await g.call('GET', '/v1/activity/?per_page=2&page=2', { key });
    expect(paged.json.data.activity.map((a: { action: string }) => a.action)).toEqual([
      'webhook.secret_rotated',
      'webhook.updated',
    ]);
    expect(paged.json.data.pagination).toEqual({ page: 2, per_page: 2, total: 7, total_pages: 4 });
  });

  it('shows an account only its own activity, and only to admin keys', async () => {
    const g = gateway();
    const a = await g.newAccount(100);
    await g.call('POST', '/v1/keys/', { key: a.key, body: { name: 'x', permissions: ['write'] } });
    const b = await g.newAccount(100, ['read', 'write']);
    const denied = await g.call('GET', '/v1/activity/', { key: b.key });
    expect(denied.json.error_code).toBe('PERMISSION_DENIED');
    const c = await g.newAccount(0);
    const theirs = await g.call('GET', '/v1/activity/', { key: c.key });
    expect(theirs.json.data.activity.map((x: { action: string }) => x.action)).toEqual(['account.opened']);
  });
});

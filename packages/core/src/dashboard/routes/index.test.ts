import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, gatewayOn, manualClock } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';

describe.each(ENGINES)('dashboard on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('sends everyone without a session to the sign-in page, and refuses their forms', async () => {
    const g = gateway();
    const browser = dashboardClient(g);
    for (const page of [
      '/dashboard/',
      '/dashboard',
      '/dashboard/messages/',
      '/dashboard/keys/',
      '/dashboard/activity/',
    ]) {
      const r = await browser.get(page);
      expect(r.status).toBe(303);
      expect(r.location).toBe(`${ROOT}/sign-in`);
    }
    const form = await browser.post('/dashboard/keys', { name: 'x', permissions: 'read' });
    expect(form.status).toBe(401);
    expect(form.text).toContain('INVALID_CREDENTIALS');
    const json = await g.mifumo.fetch(new Request(`http://h${ROOT}/keys/`, { method: 'POST' }));
    expect(await json.json()).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS' });
  });

  it('signs in with an admin key only, into an HttpOnly SameSite=Strict cookie scoped to the dashboard', async () => {
    const g = gateway();
    const browser = dashboardClient(g);
    const wrong = await browser.signIn('mk_live_not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('That API key is not valid');
    expect(browser.cookie).toBeNull();

    const { key: reader } = await g.newAccount(10, ['read', 'write']);
    const notAdmin = await browser.signIn(reader);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.text).toContain('admin permission');

    const r = await browser.signIn(g.key);
    expect(r.status).toBe(303);
    expect(r.location).toBe(`${ROOT}/`);
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^mifumo_session=[0-9A-Za-z]{43}; /);
    expect(cookie).toContain(`Path=${ROOT}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toContain('Secure'); // plain http here; https below
    const overview = await browser.get('/dashboard/');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('<h1>Overview</h1>');
    // Each carrier's state, as GET /v1/carriers/ gives it.
    expect(overview.text).toContain('<tr data-carrier="dev" data-state="ready">');
    expect(overview.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'nonce-/);
    expect(overview.headers.get('x-frame-options')).toBe('DENY');
    expect(overview.headers.get('cache-control')).toBe('no-store');

    const secure = dashboardClient(g, 'https://sms.example.co.tz/api/integration');
    expect((await secure.signIn(g.key)).headers.get('set-cookie')).toContain('Secure');
    const proxied = dashboardClient(g);
    await proxied.get('/dashboard/sign-in');
    const behindProxy = await proxied.post(
      '/dashboard/sign-in',
      { api_key: g.key },
      { 'x-forwarded-proto': 'https' },
      false,
    );
    expect(behindProxy.headers.get('set-cookie')).toContain('Secure');
  });

  it('checks every form’s token and origin', async () => {
    const g = gateway();
    const browser = dashboardClient(g);
    await browser.signIn(g.key);
    await browser.get('/dashboard/keys/');
    const missing = await browser.post('/dashboard/keys', { _csrf: '', name: 'x', permissions: 'read' });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('out of date or was not made here');
    const forged = await browser.post('/dashboard/keys', {
      _csrf: 'x'.repeat(40),
      name: 'x',
      permissions: 'read',
    });
    expect(forged.status).toBe(403);
    const elsewhere = await browser.post(
      '/dashboard/keys',
      { name: 'x', permissions: 'read' },
      { origin: 'https://evil.example' },
    );
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain('posted from another site');
    const keys = await g.mifumo.admin.listKeys(g.account.id);
    expect(keys.map((k) => k.name)).not.toContain('x');
    // Another session's token does not fit this one.
    const other = dashboardClient(g);
    await other.signIn(g.key);
    await other.get('/dashboard/keys/');
    expect(
      (await browser.post('/dashboard/keys', { _csrf: other.csrf, name: 'x', permissions: 'read' })).status,
    ).toBe(403);
    const same = await browser.post(
      '/dashboard/keys',
      { name: 'ok', permissions: 'read' },
      { origin: 'http://127.0.0.1:8001' },
    );
    expect(same.status).toBe(201);
  });

  it('creates a key shown once, revokes it, and the API refuses it at once', async () => {
    const g = gateway();
    const { key: admin } = await g.newAccount(100);
    const browser = dashboardClient(g);
    await browser.signIn(admin);
    await browser.get('/dashboard/keys/');
    const created = await browser.post('/dashboard/keys', {
      name: 'shop backend',
      permissions: ['read', 'write'],
    });
    expect(created.status).toBe(201);
    const key = /id="new-key" class="mono" readonly="" value="([^"]+)"/.exec(created.text)?.[1];
    expect(key).toMatch(/^mk_/);
    expect(created.text).toContain('data-copy="new-key"');
    const listed = await browser.get('/dashboard/keys/');
    expect(listed.text).toContain('shop backend');
    expect(listed.text).not.toContain(key!);

    const balance = () => g.call('GET', '/v1/sms/balance/', { key: key! });
    expect((await balance()).status).toBe(200);
    const id = /data-key="([^"]+)"><td data-label="Name"><span>shop backend/.exec(listed.text)?.[1];
    const revoked = await browser.post(`/dashboard/keys/${id}/revoke`);
    expect(revoked.status).toBe(303);
    expect(revoked.location).toBe(`${ROOT}/keys/?done=key-revoked`);
    expect((await browser.get(revoked.location!.slice('/api/integration'.length))).text).toContain(
      'Key revoked',
    );
    expect((await balance()).status).toBe(401);

    const noPermission = await browser.post('/dashboard/keys', { name: 'none' });
    expect(noPermission.status).toBe(400);
    expect(noPermission.text).toContain('permissions: tick at least one permission');
    const unknown = await browser.post('/dashboard/keys', {
      name: 'n',
      permissions: 'read',
      expires_at: 'x',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('expires_at: unknown field');
  });

  it('ends the session when its key is revoked, over the API or by itself', async () => {
    const g = gateway();
    const { key: first } = await g.newAccount(100);
    const browser = dashboardClient(g);
    await browser.signIn(first);
    const second = (
      await g.call('POST', '/v1/keys/', { key: first, body: { name: 'two', permissions: ['admin'] } })
    ).json.data;
    const keys = (await g.call('GET', '/v1/keys/', { key: second.key })).json.data.keys;
    expect((await browser.get('/dashboard/')).status).toBe(200);
    await g.call('DELETE', `/v1/keys/${keys[0].id}/`, { key: second.key });
    expect((await browser.get('/dashboard/')).location).toBe(`${ROOT}/sign-in`);

    await browser.signIn(second.key);
    await g.call('POST', '/v1/keys/', { key: second.key, body: { name: 'three', permissions: ['admin'] } });
    await browser.get('/dashboard/keys/');
    const own = await browser.post(`/dashboard/keys/${second.id}/revoke`);
    expect(own.location).toBe(`${ROOT}/sign-in?done=key-revoked`);
    expect((await browser.get('/dashboard/keys/')).location).toBe(`${ROOT}/sign-in`);
  });

  it('signs out: the cookie is cleared, and the old one no longer works', async () => {
    const g = gateway();
    const { key } = await g.newAccount(100);
    const browser = dashboardClient(g);
    await browser.signIn(key);
    const stolen = browser.cookie;
    await browser.get('/dashboard/');
    const out = await browser.post('/dashboard/sign-out');
    expect(out.location).toBe(`${ROOT}/sign-in?done=signed-out`);
    expect(out.headers.get('set-cookie')).toMatch(/mifumo_session=;.*Max-Age=0/);
    browser.cookie = stolen;
    expect((await browser.get('/dashboard/')).location).toBe(`${ROOT}/sign-in`);
    const activity = (await g.call('GET', '/v1/activity/?action=dashboard.signed_out', { key })).json.data;
    expect(activity.pagination.total).toBe(1);
    const signedIn = (await g.call('GET', '/v1/activity/?action=dashboard.signed_in', { key })).json.data;
    expect(signedIn.activity[0].actor).toMatch(/^key:key_/);
  });

  it('never shows another account’s data', async () => {
    const g = gateway();
    const mine = await g.newAccount(100);
    const theirs = await g.newAccount(100);
    const sent = (
      await g.call('POST', '/v1/sms/send/', {
        key: theirs.key,
        body: { message: 'Siri yao', recipients: ['+255754999001'] },
      })
    ).json.data;
    await g.dispatchAndSettle();
    await g.call('PUT', '/v1/webhooks/', { key: theirs.key, body: { url: 'https://hooks.example.co.tz/x' } });
    const theirKeys = (await g.call('GET', '/v1/keys/', { key: theirs.key })).json.data.keys;
    const browser = dashboardClient(g);
    await browser.signIn(mine.key);
    const message = await browser.get(`/dashboard/messages/${sent.message_id}/`);
    expect(message.status).toBe(404);
    expect(message.text).not.toContain('Siri yao');
    for (const page of [
      '/dashboard/messages/',
      '/dashboard/',
      '/dashboard/activity/',
      '/dashboard/webhooks/',
      '/dashboard/keys/',
    ]) {
      const r = await browser.get(page);
      expect(r.status).toBe(200);
      expect(r.text).not.toContain(sent.message_id);
      expect(r.text).not.toContain('+255754999001');
      expect(r.text).not.toContain('hooks.example.co.tz');
      expect(r.text).not.toContain(theirKeys[0].id);
    }
    await browser.get('/dashboard/keys/');
    const revoke = await browser.post(`/dashboard/keys/${theirKeys[0].id}/revoke`);
    expect(revoke.status).toBe(404);
    expect((await g.call('GET', '/v1/sms/balance/', { key: theirs.key })).status).toBe(200);
  });

  it('shows a sent message delivered, its timeline, and the overview counting it', async () => {
    const g = gateway();
    const { key } = await g.newAccount(100);
    const sent = (
      await g.call('POST', '/v1/sms/send/', {
        key,
        body: { message: 'Karibu dukani', recipients: ['+255754100200', '+255754100201'] },
      })
    ).json.data;
    await g.dispatchAndSettle();
    const browser = dashboardClient(g);
    await browser.signIn(key);
    const list = await browser.get('/dashboard/messages/?phone=0754100200');
    expect(list.text).toContain(`data-message="${sent.message_id}"`);
    expect(list.text.match(/data-message=/g)).toHaveLength(1);
    expect(list.text).toContain('<span class="status delivered">Delivered</span>');
    const none = await browser.get('/dashboard/messages/?status=failed');
    expect(none.text).toContain('No messages match.');
    const bad = await browser.get('/dashboard/messages/?colour=red');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('colour: unknown field');
    const timeline = await browser.get(`/dashboard/messages/${sent.message_id}/`);
    expect(timeline.text).toContain('Karibu dukani');
    expect(timeline.text).toMatch(/Sent \d+ \w{3} \d{4} \d\d:\d\d:\d\d \(\+03:00\) via dev/);
    expect(timeline.text).toMatch(/Delivered \d+ \w{3} \d{4}/);
    const overview = await browser.get('/dashboard/');
    expect(overview.text).toContain('<svg class="chart"');
    expect(overview.text).toMatch(/<svg class="chart"[^>]*data-total="2"/);
    expect(overview.text).toContain('100.0%');
    expect(overview.text).toContain('1 message<');
  });

  it('manages webhooks: URL, Bearer, rotation and re-sends, each in the activity log', async () => {
    const g = gateway();
    const { key } = await g.newAccount(100);
    const browser = dashboardClient(g);
    await browser.signIn(key);
    await browser.get('/dashboard/webhooks/');
    const refused = await browser.post('/dashboard/webhooks', { url: 'http://127.0.0.1:9/hook' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('VALIDATION_ERROR');
    const saved = await browser.post('/dashboard/webhooks', { url: 'https://hooks.example.co.tz/sms' });
    expect(saved.location).toBe(`${ROOT}/webhooks/?done=webhook-saved`);
    const settings = (await g.call('GET', '/v1/webhooks/', { key })).json.data;
    expect(settings).toMatchObject({ url: 'https://hooks.example.co.tz/sms', bearer_auth: false });
    const page = await browser.get('/dashboard/webhooks/?done=webhook-saved');
    expect(page.text).toContain('Webhook settings saved.');
    expect(page.text).toContain(settings.signing_secret);

    expect((await browser.post('/dashboard/webhooks/rotate', { grace_hours: '169' })).status).toBe(400);
    const rotated = await browser.post('/dashboard/webhooks/rotate', { grace_hours: '2' });
    expect(rotated.location).toBe(`${ROOT}/webhooks/?done=secret-rotated`);
    const after = (await g.call('GET', '/v1/webhooks/', { key })).json.data;
    expect(after.signing_secret).not.toBe(settings.signing_secret);
    expect(after.previous_secret_valid_until).not.toBeNull();

    await g.call('POST', '/v1/sms/send/', { key, body: { message: 'Hi', recipients: ['+255754300400'] } });
    await g.dispatchAndSettle();
    const listed = await browser.get('/dashboard/webhooks/?status=pending');
    const ids = [...listed.text.matchAll(/data-delivery="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    const resent = await browser.post(`/dashboard/webhooks/deliveries/${ids[0]}/resend`);
    expect(resent.location).toBe(`${ROOT}/webhooks/?done=delivery-resent`);
    const log = (await g.call('GET', '/v1/activity/', { key })).json.data.activity.map(
      (a: { action: string }) => a.action,
    );
    expect(log).toEqual(
      expect.arrayContaining(['webhook.updated', 'webhook.secret_rotated', 'webhook.resent']),
    );
  });

  it('adds contacts, imports a CSV reporting its bad rows, and lists segments with their counts', async () => {
    const g = gateway();
    const { key } = await g.newAccount(100);
    await g.call('POST', '/v1/contacts/segments/create/', {
      key,
      body: { name: 'Arusha', criteria: { tags: ['arusha'] } },
    });
    const browser = dashboardClient(g);
    await browser.signIn(key);
    await browser.get('/dashboard/contacts/');
    const added = await browser.post('/dashboard/contacts', {
      name: 'Asha Mushi',
      phone_number: '0754 111 222',
      email: '',
      tags: 'Arusha; wateja',
    });
    expect(added.location).toBe(`${ROOT}/contacts/?done=contact-added`);
    const nul = await browser.post('/dashboard/contacts', { name: 'Asha\u0000', phone_number: '0754111299' });
    expect(nul.status).toBe(400);
    expect(nul.text).toContain('U+0000');
    expect((await browser.get('/dashboard/contacts/?q=%00')).status).toBe(400);
    const twice = await browser.post('/dashboard/contacts', { name: 'Asha', phone_number: '+255754111222' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('already exists');
    const badEmail = await browser.post('/dashboard/contacts', {
      name: 'B',
      phone_number: '0754111223',
      email: 'nope',
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.text).toContain('email');

    const csv = [
      'name,phone_number,email,tags,is_active',
      'Juma Ally,0754000101,juma@example.co.tz,arusha;wateja,true',
      'Neema,+255754000102,,arusha,',
      'Bad Number,07540,,,',
      'Asha again,0754111222,,,no',
    ].join('\n');
    const imported = await browser.upload(
      '/dashboard/contacts/import',
      { on_conflict: 'skip' },
      {
        field: 'file',
        name: 'wateja.csv',
        text: csv,
      },
    );
    expect(imported.status).toBe(200);
    expect(imported.text).toContain(
      '4 rows read: 2 created, 0 updated, 1 skipped (already there), 1 refused.',
    );
    expect(imported.text).toMatch(
      /<tr data-row="4"><td class="num">4<\/td><td>phone_number<\/td><td>wrong length/,
    );
    const page = await browser.get('/dashboard/contacts/');
    expect(page.text).toContain('Contacts (3)');
    expect(page.text).toMatch(/data-segment="seg_[^"]+">.*?<td class="num">3<\/td>/s);
    const found = await browser.get('/dashboard/contacts/?q=juma');
    expect(found.text).toContain('Contacts (1)');
    const badColumns = await browser.upload(
      '/dashboard/contacts/import',
      { on_conflict: 'skip' },
      {
        field: 'file',
        name: 'x.csv',
        text: 'name,phone,colour\nA,0754000103,red',
      },
    );
    expect(badColumns.status).toBe(400);
    expect(badColumns.text).toContain('The CSV header must name');
    const log = (await g.call('GET', '/v1/activity/?action=contacts.imported', { key })).json.data.activity;
    expect(log[0].details).toMatchObject({
      received: 4,
      created: 2,
      skipped: 1,
      failed: 1,
      on_conflict: 'skip',
    });
  });

  it('counts against the account’s contact-operation limit as the API does, with a page naming the limit', async () => {
    const g = gateway();
    const { account, key } = await g.newAccount(100);
    await g.mifumo.admin.setLimits(account.id, { contactOpsPerHour: 3 });
    const browser = dashboardClient(g);
    await browser.signIn(key);
    expect((await browser.get('/dashboard/contacts/?q=juma')).status).toBe(200); // one
    await browser.get('/dashboard/contacts/');
    expect(
      (await browser.post('/dashboard/contacts', { name: 'Asha', phone_number: '0754111222' })).status,
    ).toBe(303); // three: spent, for the API too
    const api = await g.call('GET', '/v1/contacts/search/', { key });
    expect(api.status).toBe(429);
    expect(api.json.details).toMatchObject({ limit: 'contact_ops_per_hour', max: 3 });

    const search = await browser.get('/dashboard/contacts/?q=asha');
    expect(search.status).toBe(429);
    expect(search.text).toContain('Too many requests: contact ops per hour is 3 (RATE_LIMIT_EXCEEDED)');
    expect(search.text).toMatch(/Try again in \d+ s/);
    expect(Number(search.headers.get('retry-after'))).toBeGreaterThan(0);
    const imported = await browser.upload(
      '/dashboard/contacts/import',
      { on_conflict: 'skip' },
      { field: 'file', name: 'a.csv', text: 'name,phone_number\nJuma,0754000101' },
    );
    expect(imported.status).toBe(429);
    expect(imported.text).toContain('contact ops per hour');
    expect(
      (await browser.post('/dashboard/contacts', { name: 'B', phone_number: '0754111223' })).status,
    ).toBe(429);
    const stored = await g.database.db
      .selectFrom('contacts')
      .select('name')
      .where('account_id', '=', account.id)
      .execute();
    expect(stored.map((c) => c.name)).toEqual(['Asha']); // nothing refused was done
    // Pages outside contacts take no contact operation.
    expect((await browser.get('/dashboard/')).status).toBe(200);
  });

  it('counts every dashboard page and form as an API call of the account, as the API’s counterparts are', async () => {
    const g = gateway();
    const { account, key } = await g.newAccount(100);
    await g.mifumo.admin.setLimits(account.id, { apiCallsPerHour: 3 });
    const browser = dashboardClient(g);
    await browser.signIn(key);
    await browser.get('/dashboard/keys/');
    expect((await browser.post('/dashboard/keys', { name: 'k', permissions: 'read' })).status).toBe(201);
    expect((await g.call('GET', '/v1/sms/balance/', { key })).status).toBe(200); // three: spent
    const keys = await browser.get('/dashboard/keys/');
    expect(keys.status).toBe(429);
    expect(keys.text).toContain('api calls per hour is 3');
    const webhook = await browser.post('/dashboard/webhooks', { url: 'https://example.com/hook' });
    expect(webhook.status).toBe(429);
    expect((await g.call('GET', '/v1/webhooks/', { key })).status).toBe(429);
    // Signing out is never refused.
    expect((await browser.post('/dashboard/sign-out')).location).toBe(`${ROOT}/sign-in?done=signed-out`);
  });
});

describe('dashboard sign-in, on its own gateway', () => {
  it('throttles failed sign-ins per address, answering 429 once past the limit', async () => {
    const g = await createTestGateway();
    const browser = dashboardClient(g);
    const statuses = [];
    for (let i = 0; i < 22; i++) statuses.push((await browser.signIn(`mk_wrong_${i}`)).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    expect((await browser.signIn('mk_wrong_again')).text).toContain('RATE_LIMIT_EXCEEDED');
    await g.close();
  });

  it('expire after the configured time', async () => {
    const clock = manualClock();
    const g = await createTestGateway({ clock, config: { dashboard: { sessionTtlMs: 3_600_000 } } });
    try {
      const browser = dashboardClient(g);
      const r = await browser.signIn(g.key);
      expect(r.headers.get('set-cookie')).toContain('Expires=Thu, 01 Jan 2026 09:00:00 GMT');
      clock.advance(3_599_000);
      expect((await browser.get('/dashboard/')).status).toBe(200);
      clock.advance(1_000);
      expect((await browser.get('/dashboard/')).location).toBe(`${ROOT}/sign-in`);
    } finally {
      await g.close();
    }
  });

  it('can be turned off: no dashboard routes at all', async () => {
    const g = await createTestGateway({ config: { dashboard: { enabled: false } } });
    try {
      const r = await g.call('GET', '/dashboard/sign-in');
      expect(r.status).toBe(404);
      expect(r.json.error_code).toBe('NOT_FOUND');
    } finally {
      await g.close();
    }
  });
});

describe('dashboard refusals', () => {
  it('answers a path it does not serve with a plain 404 page, signed in or not, never a redirect nor a 500', async () => {
    const g = await createTestGateway();
    try {
      const browser = dashboardClient(g);
      for (const path of [
        '/dashboard/nosuch',
        '/dashboard/x%0d%0aSet-Cookie:%20a=b',
        '/dashboard/messages/a/b',
      ]) {
        const r = await browser.get(path);
        expect(r.status).toBe(404);
        expect(r.location).toBeNull();
        expect(r.headers.get('set-cookie')).toBeNull();
        expect(r.text).toContain('No such dashboard page (NOT_FOUND)');
        expect(r.text).toContain(`href="${ROOT}/"`);
      }
      await browser.signIn(g.key);
      expect((await browser.get('/dashboard/nosuch')).status).toBe(404);
      expect((await browser.get('/dashboard/x%0d%0aSet-Cookie:%20a=b')).status).toBe(404);
    } finally {
      await g.close();
    }
  });

  it('answers the JSON envelope to a client that asks for JSON', async () => {
    const g = await createTestGateway();
    try {
      const json = (path: string, init: RequestInit = {}) =>
        g.mifumo.fetch(
          new Request(`http://127.0.0.1:8001${ROOT}${path}`, {
            ...init,
            redirect: 'manual',
            headers: { accept: 'application/json', ...init.headers },
          }),
        );
      const noSession = await json('/');
      expect(noSession.status).toBe(401);
      expect(await noSession.json()).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS' });
      const missing = await json('/nosuch');
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error_code: 'NOT_FOUND', data: null });
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const wrong = await json('/sign-in', { method: 'POST', headers: form, body: 'api_key=mk_live_nope' });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error_code: 'INVALID_CREDENTIALS' });

      const browser = dashboardClient(g);
      await browser.signIn(g.key);
      await browser.get('/dashboard/keys/');
      const refused = await json('/keys', {
        method: 'POST',
        headers: { ...form, cookie: browser.cookie! },
        body: new URLSearchParams({ _csrf: browser.csrf, name: 'n' }).toString(),
      });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
    } finally {
      await g.close();
    }
  });

  it('bounds the sign-in form and counts one too large or malformed against the failed sign-in throttle', async () => {
    const g = await createTestGateway({ config: { limits: { authFailuresPerMinute: 3 } } });
    try {
      const browser = dashboardClient(g);
      const fields = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`f${i}`, 'x']));
      const huge = await browser.post('/dashboard/sign-in', fields, {}, false);
      expect(huge.status).toBe(413);
      expect(huge.text).toContain('PAYLOAD_TOO_LARGE');
      expect(huge.text.length).toBeLessThan(20_000);
      const unknown = await browser.post('/dashboard/sign-in', { api_key: 'k', colour: 'red' }, {}, false);
      expect(unknown.status).toBe(400);
      expect(unknown.text).toContain('colour');
      expect((await browser.signIn('mk_live_wrong')).status).toBe(401); // the third failure
      const throttled = await browser.post('/dashboard/sign-in', fields, {}, false);
      expect(throttled.status).toBe(429);
      expect(throttled.text).toContain('RATE_LIMIT_EXCEEDED');
      // The right key still signs in.
      expect((await browser.signIn(g.key)).status).toBe(303);
    } finally {
      await g.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';

/** A new account signed in to the dashboard. */
async function signedIn(g: TestGateway) {
  const account = await g.newAccount(100);
  const browser = dashboardClient(g);
  await browser.signIn(account.key);
  return { ...account, browser };
}

const listed = (html: string) => [...html.matchAll(/<tr data-opt-out="([^"]+)"/g)].map((m) => m[1]);

describe.each(ENGINES)('dashboard opt-outs on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('adds numbers (source dashboard), lists them newest first, finds one by number', async () => {
    const g = gateway();
    const a = await signedIn(g);
    const page = await a.browser.get('/dashboard/opt-outs/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Opt-outs</h1>');
    expect(page.text).toContain(`aria-current="page">Opt-outs</a>`);
    expect(page.text).toContain('Times in Africa/Dar_es_Salaam.');

    const added = await a.browser.post('/dashboard/opt-outs', {
      phone_number: '0754 000 901',
      reason: 'Asked on the phone',
    });
    expect(added.status).toBe(303);
    expect(added.location).toBe(`${ROOT}/opt-outs/?done=opted-out`);
    await a.browser.post('/dashboard/opt-outs', { phone_number: '+255754000902', reason: '' });
    const again = await a.browser.post('/dashboard/opt-outs', {
      phone_number: '255754000901',
      reason: 'twice',
    });
    expect(again.location).toBe(`${ROOT}/opt-outs/?done=already-opted-out`);

    const list = await a.browser.get('/dashboard/opt-outs/?done=opted-out');
    expect(list.text).toContain('Number opted out.');
    expect(listed(list.text)).toEqual(['+255754000902', '+255754000901']);
    expect(list.text).toContain('Asked on the phone');
    const found = await a.browser.get(
      `/dashboard/opt-outs/?phone_number=${encodeURIComponent('0754000901')}`,
    );
    expect(listed(found.text)).toEqual(['+255754000901']);
    expect(found.text).toContain('value="0754000901"');

    const [entry] = (await g.call('GET', '/v1/opt-outs/?phone_number=%2B255754000901', { key: a.key })).json
      .data.opt_outs;
    expect(entry).toMatchObject({ source: 'dashboard', reason: 'Asked on the phone' });
    // The send API now leaves it out.
    const refused = await g.call('POST', '/v1/sms/send/', {
      key: a.key,
      body: { message: 'Ofa', recipients: ['0754000901'] },
    });
    expect(refused.json.error_code).toBe('RECIPIENT_OPTED_OUT');
  });

  it('shows a number’s history in the account’s time zone and opts it in again only with evidence', async () => {
    const g = gateway();
    const a = await signedIn(g);
    await a.browser.get('/dashboard/opt-outs/');
    await a.browser.post('/dashboard/opt-outs', { phone_number: '0754000911', reason: 'STOP by phone' });
    const path = `/dashboard/opt-outs/${encodeURIComponent('+255754000911')}/`;
    const history = await a.browser.get(path);
    expect(history.status).toBe(200);
    expect(history.text).toContain('Consent of +255754000911');
    expect(history.text).toContain('data-opted-out="yes"');
    expect(history.text).toMatch(
      /data-action="opted_out"><td><time datetime="[^"]+">\d+ \w{3} \d{4} \d\d:\d\d \(\+03:00\)<\/time><\/td><td>Opted out<\/td><td>dashboard<\/td><td class="wrap">STOP by phone/,
    );
    expect(history.text).toContain('Re-subscribe');

    const bare = await a.browser.post(`${path}opt-in`, { evidence: '  ' });
    expect(bare.status).toBe(400);
    expect(bare.text).toContain('evidence: evidence must not be empty');
    expect(bare.text).toContain('data-opted-out="yes"');

    const back = await a.browser.post(`${path}opt-in`, { evidence: 'Sent START on 2026-05-11' });
    expect(back.status).toBe(303);
    expect(back.location).toBe(`${ROOT}${path.slice('/dashboard'.length)}?done=opted-in`);
    const after = await a.browser.get(`${path}?done=opted-in`);
    expect(after.text).toContain('Number opted in again.');
    expect(after.text).toContain('data-opted-out="no"');
    expect(after.text).not.toContain('Re-subscribe');
    expect([...after.text.matchAll(/data-action="([a-z_]+)"/g)].map((m) => m[1])).toEqual([
      'opted_out',
      'opted_in',
    ]);
    expect(after.text).toContain('Sent START on 2026-05-11');
    expect(listed((await a.browser.get('/dashboard/opt-outs/')).text)).toEqual([]);

    // Not opted out any more: a second opt-in is refused, as is a forged one.
    await a.browser.get(path);
    const twice = await a.browser.post(`${path}opt-in`, { evidence: 'again' });
    expect(twice.status).toBe(404);
    expect(twice.text).toContain('+255754000911 is not opted out');
    const forged = await a.browser.post('/dashboard/opt-outs', {
      _csrf: 'x'.repeat(40),
      phone_number: '0754000912',
    });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('out of date or was not made here');
  });

  it('shows the time of an opt-out at 18:00Z as 21:00 in Dar es Salaam, with its offset', async () => {
    const g = gateway();
    const a = await signedIn(g);
    await g.database.db
      .insertInto('opt_outs')
      .values({
        account_id: a.account.id,
        phone: '+255754000931',
        reason: null,
        source: 'api',
        inbound_id: null,
        api_key_id: null,
        event_id: 'cns_test',
        created_at: '2026-05-10T18:00:00.000Z',
      })
      .execute();
    const page = await a.browser.get('/dashboard/opt-outs/');
    expect(page.text).toMatch(
      /\+255754000931<\/a><\/td><td><time datetime="[^"]+">10 May 2026 21:00 \(\+03:00\)</,
    );
  });

  it('explains a bad number, and keeps each account’s opt-outs its own', async () => {
    const g = gateway();
    const a = await signedIn(g);
    const b = await signedIn(g);
    await a.browser.get('/dashboard/opt-outs/');
    const bad = await a.browser.post('/dashboard/opt-outs', { phone_number: '12', reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('phone_number is not a valid phone number (INVALID_PHONE)');
    expect(bad.text).toContain('role="alert"');
    const badSearch = await a.browser.get('/dashboard/opt-outs/?phone_number=abc');
    expect(badSearch.status).toBe(400);
    expect(badSearch.text).toContain('INVALID_PHONE');
    expect(badSearch.text).toContain('<h1>Opt-outs</h1>');
    const unknown = await a.browser.get('/dashboard/opt-outs/?number=1');
    expect(unknown.status).toBe(400);

    await a.browser.post('/dashboard/opt-outs', { phone_number: '0754000921', reason: 'private' });
    const path = `/dashboard/opt-outs/${encodeURIComponent('+255754000921')}/`;
    expect(listed((await b.browser.get('/dashboard/opt-outs/')).text)).toEqual([]);
    const theirs = await b.browser.get(path);
    expect(theirs.status).toBe(404);
    expect(theirs.text).not.toContain('private');
    const optIn = await b.browser.post(`${path}opt-in`, { evidence: 'trust me' });
    expect(optIn.status).toBe(404);
    expect((await a.browser.get(path)).text).toContain('data-opted-out="yes"');
  });
});

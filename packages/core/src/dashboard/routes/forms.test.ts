import { describe, expect, it } from 'vitest';
import { dashboardClient, errorBeside, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';

const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };

/** A new funded account receiving on `number`, signed in to the dashboard. */
async function signedIn(g: TestGateway, number: string) {
  const account = await g.newAccount(100);
  await g.mifumo.admin.addNumber({ accountId: account.account.id, number }, RULES);
  const browser = dashboardClient(g);
  await browser.signIn(account.key);
  return { ...account, browser };
}

/** Whether a checkbox of a group is ticked on the page. */
const isTicked = (html: string, name: string, value: string) =>
  new RegExp(`name="${name}" value="${value}" checked=""`).test(html);

describe.each(ENGINES)('refused dashboard forms on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('keep what was typed in every form, and say why beside the field', async () => {
    const g = gateway();
    const a = await signedIn(g, '15951');

    await a.browser.get('/dashboard/keys/');
    const key = await a.browser.post('/dashboard/keys', { name: 'duka la Arusha' });
    expect(key.status).toBe(400);
    expect(fieldValue(key.text, 'key-name')).toBe('duka la Arusha');
    expect(errorBeside(key.text, 'permissions')).toBe('tick at least one permission');
    expect(isTicked(key.text, 'permissions', 'read')).toBe(false); // as posted: none ticked

    await a.browser.get('/dashboard/webhooks/');
    const hook = await a.browser.post('/dashboard/webhooks', {
      url: 'ftp://hooks.example.co.tz/x',
      bearer_auth: 'on',
    });
    expect(hook.status).toBe(400);
    expect(fieldValue(hook.text, 'url')).toBe('ftp://hooks.example.co.tz/x');
    expect(errorBeside(hook.text, 'url')).toBe('only http and https URLs');
    expect(hook.text).toContain('name="bearer_auth" value="on" checked=""');
    expect(fieldValue(hook.text, 'grace_hours')).toBe('24'); // the other form starts afresh
    const grace = await a.browser.post('/dashboard/webhooks/rotate', { grace_hours: '169' });
    expect(fieldValue(grace.text, 'grace_hours')).toBe('169');
    expect(errorBeside(grace.text, 'grace_hours')).toMatch(/168/);
    expect(errorBeside(grace.text, 'url')).toBeUndefined();

    await a.browser.get('/dashboard/contacts/');
    const typed = { name: 'Neema', phone_number: '07540', email: 'neema@example.co.tz', tags: 'arusha' };
    const phone = await a.browser.post('/dashboard/contacts', typed);
    expect(phone.status).toBe(400);
    expect(fieldValue(phone.text, 'c-name')).toBe('Neema');
    expect(fieldValue(phone.text, 'c-phone')).toBe('07540');
    expect(fieldValue(phone.text, 'c-email')).toBe('neema@example.co.tz');
    expect(fieldValue(phone.text, 'c-tags')).toBe('arusha');
    expect(errorBeside(phone.text, 'c-phone')).toBeTruthy();
    const email = await a.browser.post('/dashboard/contacts', {
      ...typed,
      phone_number: '0754300001',
      email: 'x',
    });
    expect(errorBeside(email.text, 'c-email')).toBeTruthy();
    expect(errorBeside(email.text, 'c-phone')).toBeUndefined();
    await a.browser.post('/dashboard/contacts', { ...typed, phone_number: '0754300001' });
    const twice = await a.browser.post('/dashboard/contacts', { ...typed, phone_number: '+255754300001' });
    expect(twice.status).toBe(409);
    expect(errorBeside(twice.text, 'c-phone')).toMatch(/already exists/);
    const header = await a.browser.upload(
      '/dashboard/contacts/import',
      { on_conflict: 'update' },
      { field: 'file', name: 'x.csv', text: 'name,phone,colour\nA,0754000103,red' },
    );
    expect(header.status).toBe(400);
    expect(errorBeside(header.text, 'csv')).toMatch(/The CSV header must name/);
    expect(header.text).toContain('<option value="update" selected="">');

    await a.browser.get('/dashboard/opt-outs/');
    const optOut = await a.browser.post('/dashboard/opt-outs', { phone_number: '12', reason: 'Aliomba' });
    expect(optOut.status).toBe(400);
    expect(fieldValue(optOut.text, 'o-phone')).toBe('12');
    expect(fieldValue(optOut.text, 'o-reason')).toBe('Aliomba');
    expect(errorBeside(optOut.text, 'o-phone')).toBeTruthy();
    await a.browser.post('/dashboard/opt-outs', { phone_number: '0754300002', reason: '' });
    const history = `/dashboard/opt-outs/${encodeURIComponent('+255754300002')}/`;
    await a.browser.get(history);
    const evidence = await a.browser.post(`${history}opt-in`, { evidence: '   ' });
    expect(errorBeside(evidence.text, 'evidence')).toBe('evidence must not be empty');

    await g.carrier.receive({ from: '0754300003', to: '15951', text: 'Habari', at: Date.now() - 60_000 });
    const chat = `/dashboard/inbox/${encodeURIComponent('+255754300003')}/`;
    await a.browser.get(chat);
    const long = 'x'.repeat(10_001);
    const reply = await a.browser.post(`${chat}reply`, { message: long });
    expect(reply.status).toBe(400);
    expect(fieldValue(reply.text, 'reply')).toBe(long);
    expect(errorBeside(reply.text, 'reply')).toBeTruthy();

    const search = await a.browser.get('/dashboard/messages/?start_date=2026-05-10&end_date=2026-05-01');
    expect(search.status).toBe(400);
    expect(fieldValue(search.text, 'start_date')).toBe('2026-05-10');
    expect(errorBeside(search.text, 'start_date')).toBe('is after end_date');
  });

  it('says why a sign-in was refused beside the key, and never writes the key back', async () => {
    const g = gateway();
    const browser = dashboardClient(g);
    const wrong = await browser.signIn('mk_live_not-a-key-at-all');
    expect(wrong.status).toBe(401);
    expect(errorBeside(wrong.text, 'api_key')).toBe('That API key is not valid (or was revoked)');
    expect(wrong.text).not.toContain('mk_live_not-a-key-at-all');
    expect(fieldValue(wrong.text, 'api_key')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { dashboardClient, errorBeside, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';

/** A new account signed in to the dashboard, on its settings page. */
async function onSettings(g: TestGateway) {
  const account = await g.newAccount(100);
  const browser = dashboardClient(g);
  await browser.signIn(account.key);
  const page = await browser.get('/dashboard/settings/');
  return { ...account, browser, page };
}

/** The settings form as the page fills it, with `change` typed over it. */
const form = (change: Record<string, string> = {}) => ({
  language: '',
  time_zone: '',
  url: '',
  quiet_hours: 'default',
  'quiet_hours.start': '20:00',
  'quiet_hours.end': '08:00',
  opt_out_footer: '',
  ...change,
});

const actions = async (g: TestGateway, key: string) =>
  (await g.call('GET', '/v1/activity/', { key })).json.data.activity.map((a: { action: string }) => a.action);

describe.each(ENGINES)('dashboard settings on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('shows the defaults: English, the quiet hours’ zone, no webhook, the gateway’s quiet hours and footer', async () => {
    const g = gateway();
    const { page } = await onSettings(g);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Settings</h1>');
    expect(page.text).toContain('aria-current="page">Settings</a>');
    expect(page.text).toContain('<option value="" selected="">Default (English)</option>');
    expect(fieldValue(page.text, 'time_zone')).toBe('');
    expect(page.text).toContain('placeholder="Africa/Dar_es_Salaam"');
    expect(page.text).toContain('<option value="Africa/Nairobi">');
    expect(page.text).toContain('selected="">The gateway’s: 20:00–08:00 (Africa/Dar_es_Salaam)</option>');
    expect(fieldValue(page.text, 'url')).toBe('');
    expect(fieldValue(page.text, 'opt_out_footer')).toBe('');
    expect(page.text).toContain('“Kusitisha tuma {keyword} ACHA kwenda {number}”');
  });

  it('saves each setting where its service keeps it, records each in the activity log, and shows pages accordingly', async () => {
    const g = gateway();
    const a = await onSettings(g);
    const saved = await a.browser.post(
      '/dashboard/settings',
      form({
        language: 'sw',
        time_zone: 'africa/lagos',
        url: 'https://hooks.example.co.tz/sms',
        quiet_hours: 'own',
        'quiet_hours.start': '21:30',
        'quiet_hours.end': '07:00',
        opt_out_footer: 'Acha: tuma ACHA kwenda {number}',
      }),
    );
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${ROOT}/settings/?done=settings-saved`);
    expect(await g.mifumo.compliance.settings(a.account.id)).toMatchObject({
      quietHours: { start: '21:30', end: '07:00', timeZone: 'Africa/Lagos' },
      optOutFooter: 'Acha: tuma ACHA kwenda {number}',
    });
    expect((await g.call('GET', '/v1/webhooks/', { key: a.key })).json.data.url).toBe(
      'https://hooks.example.co.tz/sms',
    );
    const log = (await g.call('GET', '/v1/activity/', { key: a.key })).json.data.activity;
    const detailsOf = (action: string) => log.find((e: { action: string }) => e.action === action)?.details;
    expect(detailsOf('account.settings_changed')).toEqual({ language: 'sw', timeZone: 'Africa/Lagos' });
    expect(detailsOf('webhook.updated')).toEqual({ url: 'https://hooks.example.co.tz/sms' });
    expect(detailsOf('compliance.settings_changed')).toEqual({
      quietHours: { start: '21:30', end: '07:00', timeZone: 'Africa/Lagos' },
      optOutFooter: 'Acha: tuma ACHA kwenda {number}',
    });

    const page = await a.browser.get('/dashboard/settings/?done=settings-saved');
    expect(page.text).toContain('<html lang="sw">');
    expect(page.text).toContain('Mipangilio imehifadhiwa.');
    expect(fieldValue(page.text, 'time_zone')).toBe('Africa/Lagos');
    expect(fieldValue(page.text, 'quiet_start')).toBe('21:30');
    // Times on every page are in the account's zone now, with its offset.
    const activity = await a.browser.get('/dashboard/activity/');
    expect(activity.text).toMatch(/<time datetime="[^"]+">\d+ \p{L}{3} \d{4} \d\d:\d\d \(\+01:00\)<\/time>/u);
    expect(activity.text).toContain(
      'Mipangilio ya akaunti ilibadilishwa: Lugha: sw, Ukanda wa saa: Africa/Lagos.',
    );

    // The same form again changes nothing, and records nothing.
    const before = await actions(g, a.key);
    const again = await a.browser.post(
      '/dashboard/settings',
      form({
        language: 'sw',
        time_zone: 'Africa/Lagos',
        url: 'https://hooks.example.co.tz/sms',
        quiet_hours: 'own',
        'quiet_hours.start': '21:30',
        'quiet_hours.end': '07:00',
        opt_out_footer: 'Acha: tuma ACHA kwenda {number}',
      }),
    );
    expect(again.location).toBe(`${ROOT}/settings/?done=settings-unchanged`);
    expect(await actions(g, a.key)).toEqual(before);

    // Empty fields go back to the defaults.
    await a.browser.post('/dashboard/settings', form({ quiet_hours: 'none' }));
    expect(await g.mifumo.compliance.settings(a.account.id)).toMatchObject({
      quietHours: null,
      optOutFooter: 'Kusitisha tuma {keyword} ACHA kwenda {number}',
      overrides: ['quietHours'],
    });
    const back = await a.browser.get('/dashboard/settings/');
    expect(back.text).toContain('<html lang="en">');
    expect(back.text).toContain('placeholder="Africa/Dar_es_Salaam"');
    expect((await g.call('GET', '/v1/webhooks/', { key: a.key })).json.data.url).toBeNull();
  });

  it('keeps what was typed when a field is refused, says why beside it, and stores nothing', async () => {
    const g = gateway();
    const a = await onSettings(g);
    const typed = form({
      language: 'sw',
      time_zone: 'Mars/Olympus_Mons',
      url: 'https://hooks.example.co.tz/typed',
      opt_out_footer: 'Acha kwenda {number}',
    });
    const zone = await a.browser.post('/dashboard/settings', typed);
    expect(zone.status).toBe(400);
    expect(zone.text).toContain('role="alert"');
    expect(errorBeside(zone.text, 'time_zone')).toBe(
      'must be an IANA time zone, such as Africa/Dar_es_Salaam',
    );
    expect(zone.text).toContain('aria-invalid="true" aria-describedby="time_zone-error"');
    expect(fieldValue(zone.text, 'time_zone')).toBe('Mars/Olympus_Mons');
    expect(fieldValue(zone.text, 'url')).toBe('https://hooks.example.co.tz/typed');
    expect(fieldValue(zone.text, 'opt_out_footer')).toBe('Acha kwenda {number}');
    expect(zone.text).toContain('<option value="sw" selected="">Kiswahili</option>');

    const url = await a.browser.post('/dashboard/settings', {
      ...typed,
      time_zone: '',
      url: 'http://127.0.0.1:9/x',
    });
    expect(url.status).toBe(400);
    expect(errorBeside(url.text, 'url')).toMatch(/127\.0\.0\.1/);
    const start = await a.browser.post('/dashboard/settings', {
      ...typed,
      time_zone: '',
      quiet_hours: 'own',
      'quiet_hours.start': '25:00',
    });
    expect(errorBeside(start.text, 'quiet_start')).toBe('must be a 24-hour time HH:MM, such as 20:00');
    const footer = await a.browser.post('/dashboard/settings', {
      ...typed,
      time_zone: '',
      opt_out_footer: 'Acha',
    });
    expect(errorBeside(footer.text, 'opt_out_footer')).toMatch(/must contain \{number\}/);
    const unknown = await a.browser.post('/dashboard/settings', { ...typed, colour: 'red' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('colour: unknown field');

    // Nothing of the refused forms was stored.
    expect((await g.mifumo.compliance.settings(a.account.id)).overrides).toEqual([]);
    expect((await g.call('GET', '/v1/webhooks/', { key: a.key })).json.data.url).toBeNull();
    expect((await a.browser.get('/dashboard/settings/')).text).toContain('<html lang="en">');
    expect(await actions(g, a.key)).not.toContain('account.settings_changed');
  });

  it('keeps each account’s settings its own', async () => {
    const g = gateway();
    const a = await onSettings(g);
    const b = await onSettings(g);
    await a.browser.post('/dashboard/settings', form({ language: 'sw', time_zone: 'Africa/Lagos' }));
    expect((await a.browser.get('/dashboard/')).text).toContain('<html lang="sw">');
    const theirs = await b.browser.get('/dashboard/settings/');
    expect(theirs.text).toContain('<html lang="en">');
    expect(fieldValue(theirs.text, 'time_zone')).toBe('');
  });
});

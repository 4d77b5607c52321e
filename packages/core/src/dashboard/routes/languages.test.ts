import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';
import { en, type MessageKey } from '../i18n/en';
import { sw } from '../i18n/sw';
import { NAV } from '../layout';

const ROOT = '/api/integration/dashboard';
const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };

/** An account with something on every page: a delivered message, webhook deliveries, a conversation, contacts, an opt-out. */
async function busyAccount(g: TestGateway, number: string) {
  const a = await g.newAccount(100);
  const { key } = a;
  await g.mifumo.admin.addNumber({ accountId: a.account.id, number }, RULES);
  await g.call('PUT', '/v1/webhooks/', { key, body: { url: 'https://hooks.example.co.tz/sms' } });
  await g.call('POST', '/v1/webhooks/rotate-secret/', { key, body: { grace_period_seconds: 3600 } });
  const sent = await g.call('POST', '/v1/sms/send/', {
    key,
    body: { message: 'Karibu dukani', recipients: ['+255754200001'] },
  });
  await g.dispatchAndSettle();
  await g.carrier.receive({ from: '0754200002', to: number, text: 'Habari', at: Date.now() - 60_000 });
  await g.call('POST', '/v1/contacts/create/', {
    key,
    body: { name: 'Asha Mushi', phone_number: '0754200003', tags: ['arusha'] },
  });
  const segment = await g.call('POST', '/v1/contacts/segments/create/', {
    key,
    body: { name: 'Arusha', criteria: { tags: ['arusha'] } },
  });
  const campaign = await g.call('POST', '/v1/campaigns/', {
    key,
    body: { name: 'Ofa', message: 'Habari {first_name|mteja}', segment_id: segment.json.data.id },
  });
  await g.mifumo.consent.optOut(a.account.id, '+255754200004', { source: 'api', reason: 'Simu' });
  const browser = dashboardClient(g);
  await browser.signIn(key);
  return {
    ...a,
    browser,
    messageId: sent.json.data.message_id as string,
    segmentId: segment.json.data.id as string,
    campaignId: campaign.json.data.id as string,
  };
}

/** What a reader sees of a page: its text, and the titles, labels and placeholders of its elements. */
function visibleText(html: string) {
  const attributes = [...html.matchAll(/\s(?:title|aria-label|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]);
  const text = html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .concat(' ', attributes.join(' '));
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

/** The English catalogue's texts that Swahili says otherwise, as the runs of words between their placeholders. */
const ENGLISH = (Object.keys(en) as MessageKey[])
  .filter((k) => en[k] !== sw[k])
  .flatMap((k) => en[k].split(/\{\w+\}/).map((run) => ({ key: k, run: run.trim() })))
  .filter(({ run }) => /\p{L}{3}/u.test(run));
const literally = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each English text found on a page, with its key (a template's `{placeholder}` is no text). */
function englishIn(html: string) {
  const text = visibleText(html);
  return ENGLISH.filter(({ run }) =>
    new RegExp(`(?<![\\p{L}\\p{N}{])${literally(run)}(?![\\p{L}\\p{N}}])`, 'u').test(text),
  ).map(({ key, run }) => `${key}: ${run}`);
}

describe.each(ENGINES)('dashboard languages on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('switches a session to Swahili and back, on the page it was on', async () => {
    const g = gateway();
    const a = await busyAccount(g, '15901');
    const keys = await a.browser.get('/dashboard/keys/');
    expect(keys.text).toContain('<html lang="en">');
    expect(keys.text).toContain('<h1>API keys</h1>');
    const switched = await a.browser.post('/dashboard/language', { language: 'sw', next: `${ROOT}/keys/` });
    expect(switched.status).toBe(303);
    expect(switched.location).toBe(`${ROOT}/keys/`);
    const inSwahili = await a.browser.get('/dashboard/keys/');
    expect(inSwahili.text).toContain('<html lang="sw">');
    expect(inSwahili.text).toContain('<h1>Funguo za API</h1>');
    expect(inSwahili.text).toContain('>Ondoka</button>');
    // Another session of the same account keeps its own language.
    const other = dashboardClient(g);
    await other.signIn(a.key);
    expect((await other.get('/dashboard/keys/')).text).toContain('<html lang="en">');

    // Only a path of the dashboard is gone back to; anything else lands on the overview.
    for (const next of ['https://evil.example/', '//evil.example/x', '/elsewhere/', `${ROOT}/../../x`])
      expect((await a.browser.post('/dashboard/language', { language: 'en', next })).location).toBe(
        `${ROOT}/`,
      );
    expect((await a.browser.get('/dashboard/keys/')).text).toContain('<h1>API keys</h1>');
    const unknown = await a.browser.post('/dashboard/language', { language: 'fr', next: `${ROOT}/` });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('language');
  });

  it('shows every page in Swahili, with no English text of the catalogue left', async () => {
    const g = gateway();
    const a = await busyAccount(g, '15902');
    await a.browser.get('/dashboard/');
    await a.browser.post('/dashboard/language', { language: 'sw', next: `${ROOT}/` });
    const pages = [
      ...NAV.map((n) => `/dashboard${n.path}/`),
      `/dashboard/messages/${a.messageId}/`,
      `/dashboard/inbox/${encodeURIComponent('+255754200002')}/`,
      `/dashboard/opt-outs/${encodeURIComponent('+255754200004')}/`,
      `/dashboard/segments/${a.segmentId}/`,
      '/dashboard/campaigns/new/',
      `/dashboard/campaigns/${a.campaignId}/`,
      '/dashboard/nosuch/',
    ];
    for (const path of pages) {
      const page = await a.browser.get(path);
      expect(page.status, path).toBe(path.includes('nosuch') ? 404 : 200);
      expect(page.text, path).toContain('<html lang="sw">');
      expect(englishIn(page.text), path).toEqual([]);
    }
    const overview = await a.browser.get('/dashboard/');
    expect(overview.text).toContain('<h1>Muhtasari</h1>');
    expect(overview.text).toMatch(/id="balance">TSh\u00a0[\d,.]+</);
    const messages = await a.browser.get('/dashboard/messages/');
    expect(messages.text).toContain('<span class="status delivered">Imewasilishwa</span>');
    expect(messages.text).toMatch(/<time datetime="[^"]+">\d+ \p{L}{3} \d{4} \d\d:\d\d \(\+03:00\)<\/time>/u);

    // What a form or a refusal shows is Swahili too.
    await a.browser.get('/dashboard/keys/');
    const created = await a.browser.post('/dashboard/keys', { name: 'duka', permissions: 'read' });
    expect(created.status).toBe(201);
    expect(englishIn(created.text)).toEqual([]);
    const refused = await a.browser.post('/dashboard/keys', { name: 'duka' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('permissions: chagua angalau ruhusa moja (VALIDATION_ERROR)');
    expect(englishIn(refused.text)).toEqual([]);
    const imported = await a.browser.upload(
      '/dashboard/contacts/import',
      { on_conflict: 'skip' },
      { field: 'file', name: 'a.csv', text: 'name,phone_number\nJuma,0754200005\nMbaya,12' },
    );
    expect(imported.text).toContain('Safu 2 zimesomwa: 1 zimeongezwa');
    expect(englishIn(imported.text)).toEqual([]);
    await a.browser.get('/dashboard/campaigns/new/');
    const quoted = await a.browser.post('/dashboard/campaigns/new', {
      name: 'Ofa',
      audience: 'segment',
      segment_id: a.segmentId,
      message: 'Habari {first_name|mteja}',
    });
    expect(quoted.text).toContain('Thibitisha na utume');
    expect(englishIn(quoted.text)).toEqual([]);
    const counted = await a.browser.post(`/dashboard/segments/${a.segmentId}`, {
      name: 'Arusha',
      'criteria.tags': 'arusha',
      intent: 'preview',
    });
    expect(counted.text).toContain('Wateja 1 wanalingana sasa.');
    expect(englishIn(counted.text)).toEqual([]);
    const signedOut = await a.browser.post('/dashboard/sign-out');
    const signIn = await g.mifumo.fetch(
      new Request(`http://127.0.0.1:8001${signedOut.location}`, {
        headers: { accept: 'text/html', 'accept-language': 'sw-TZ,sw;q=0.9,en;q=0.5' },
      }),
    );
    const signInPage = await signIn.text();
    expect(signInPage).toContain('<html lang="sw">');
    expect(signInPage).toContain('Umetoka.');
    expect(englishIn(signInPage)).toEqual([]);
  });
});

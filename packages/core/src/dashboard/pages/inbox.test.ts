import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import type { TestGateway } from '../../../test/harness';
import { gatewayOn } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';
const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };
const HOUR = 3_600_000;

/** A new funded account receiving on `number`, signed in to the dashboard. */
async function inboxOf(g: TestGateway, number: string, balance = 100) {
  const account = await g.newAccount(balance);
  await g.mifumo.admin.addNumber({ accountId: account.account.id, number }, RULES);
  const browser = dashboardClient(g);
  await browser.signIn(account.key);
  const receive = (from: string, text: string, at: number) =>
    g.carrier.receive({ from, to: number, text, at });
  return { ...account, browser, receive };
}

/** The rows of a listing with their `data-*` key, in order. */
const rows = (html: string, attribute: string) =>
  [...html.matchAll(new RegExp(`<tr data-${attribute}="([^"]+)"`, 'g'))].map((m) => m[1]);

describe.each(ENGINES)('dashboard inbox on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('lists conversations newest first, in the account’s time zone, and shows one both ways in order', async () => {
    const g = gateway();
    const a = await inboxOf(g, '15801');
    const now = Date.now();
    await a.receive('0754000801', 'Habari, bei gani?', Date.UTC(2026, 4, 10, 18));
    await a.receive('0754000802', 'Nataka sukari', Date.UTC(2026, 4, 10, 19));
    const sent = await g.call('POST', '/v1/sms/send/', {
      key: a.key,
      body: { message: 'Bei ni 2000', recipients: ['0754000801'] },
    });
    expect(sent.status).toBe(200);
    await a.receive('0754000801', 'Asante, nitakuja', now + HOUR);

    const inbox = await a.browser.get('/dashboard/inbox/');
    expect(inbox.status).toBe(200);
    expect(inbox.text).toContain('<h1>Inbox</h1>');
    expect(inbox.text).toContain(`aria-current="page">Inbox</a>`);
    expect(inbox.text).toContain('Times in Africa/Dar_es_Salaam.');
    expect(rows(inbox.text, 'conversation')).toEqual(['+255754000801', '+255754000802']);
    // 19:00Z is 22:00 in Dar es Salaam (EAT, UTC+3), shown with its offset.
    expect(inbox.text).toContain(
      'Nataka sukari</td><td><time datetime="2026-05-10T19:00:00.000Z">10 May 2026 22:00 (+03:00)</time></td><td class="mono">15801<',
    );
    expect(inbox.text).toContain('Asante, nitakuja');

    const chat = await a.browser.get(`/dashboard/inbox/${encodeURIComponent('+255754000801')}/`);
    expect(chat.status).toBe(200);
    expect(chat.text).toContain('Conversation with +255754000801');
    const items = [...chat.text.matchAll(/data-direction="(in|out)"><td><time[^>]*>([^<]+)</g)].map((m) => [
      m[1],
      m[2],
    ]);
    expect(items.map(([d]) => d)).toEqual(['in', 'out', 'in']);
    expect(items[0]![1]).toBe('10 May 2026 21:00 (+03:00)'); // received at 18:00Z
    expect(chat.text).toContain('Bei ni 2000');
    expect(chat.text).toContain(`href="${ROOT}/messages/${sent.json.data.message_id}/"`);
    expect(chat.text).not.toContain('Nataka sukari'); // another subscriber's
  });

  it('replies to the latest message received: from its number, charged, through the sender', async () => {
    const g = gateway();
    const a = await inboxOf(g, '15802');
    await a.receive('0754000811', 'Je, mna mchele?', Date.now() - 2 * HOUR);
    await a.receive('0754000811', 'Na unga?', Date.now() - HOUR);
    const [latest] = (await g.call('GET', '/v1/sms/inbound/', { key: a.key })).json.data.messages;
    const path = `/dashboard/inbox/${encodeURIComponent('+255754000811')}/`;
    const before = (await g.mifumo.admin.getAccount(a.account.id)).balance;
    await a.browser.get(path);
    const replied = await a.browser.post(`${path}reply`, { message: 'Ndiyo, vyote viwili' });
    expect(replied.status).toBe(303);
    expect(replied.location).toBe(`${ROOT}${path.slice('/dashboard'.length)}?done=reply-sent`);

    const [message] = await g.database.db
      .selectFrom('messages')
      .select(['id', 'sender_id', 'reply_to', 'traffic_class', 'cost'])
      .where('account_id', '=', a.account.id)
      .execute();
    expect(message).toMatchObject({
      sender_id: '15802',
      reply_to: latest.id,
      traffic_class: 'transactional',
    });
    const recipients = await g.database.db
      .selectFrom('recipients')
      .select(['phone', 'status'])
      .where('message_id', '=', message!.id)
      .execute();
    expect(recipients).toEqual([{ phone: '+255754000811', status: 'queued' }]);
    const cost = Number(message!.cost); // minor units (a bigint on PostgreSQL)
    expect(cost).toBeGreaterThan(0);
    expect((await g.mifumo.admin.getAccount(a.account.id)).balance).toBe(before - cost / 100);

    const page = await a.browser.get(`${path}?done=reply-sent`);
    expect(page.text).toContain('Reply sent.');
    expect(page.text).toContain('Ndiyo, vyote viwili');
    expect([...page.text.matchAll(/data-direction="(in|out)"/g)].map((m) => m[1])).toEqual([
      'in',
      'in',
      'out',
    ]);
  });

  it('shows the sender’s refusals on the page: balance, opted out, an empty text; refuses a forged form', async () => {
    const g = gateway();
    const a = await inboxOf(g, '15803', 0);
    await a.receive('0754000821', 'Habari', Date.now() - HOUR);
    const path = `/dashboard/inbox/${encodeURIComponent('+255754000821')}/`;
    await a.browser.get(path);
    const poor = await a.browser.post(`${path}reply`, { message: 'Karibu' });
    expect(poor.status).toBe(402);
    expect(poor.text).toContain('INSUFFICIENT_BALANCE');
    expect(poor.text).toContain('role="alert"');
    expect(poor.text).toContain('Conversation with +255754000821');

    const b = await inboxOf(g, '15804');
    await b.receive('0754000822', 'Sitaki ujumbe zaidi', Date.now() - HOUR); // no keyword: no answer is sent
    await g.mifumo.consent.optOut(b.account.id, '+255754000822', { source: 'api' });
    const stopped = `/dashboard/inbox/${encodeURIComponent('+255754000822')}/`;
    await b.browser.get(stopped);
    const optedOut = await b.browser.post(`${stopped}reply`, { message: 'Karibu tena' });
    expect(optedOut.status).toBe(400);
    expect(optedOut.text).toContain('RECIPIENT_OPTED_OUT');
    const empty = await b.browser.post(`${stopped}reply`, { message: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('message: message must not be empty');
    const forged = await b.browser.post(`${stopped}reply`, { _csrf: 'x'.repeat(40), message: 'Karibu' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('out of date or was not made here');
    const sent = await g.database.db
      .selectFrom('messages')
      .select('id')
      .where('account_id', 'in', [a.account.id, b.account.id])
      .execute();
    expect(sent).toEqual([]);
  });

  it('keeps each account’s conversations its own: another’s is a 404, and cannot be replied to', async () => {
    const g = gateway();
    const a = await inboxOf(g, '15805');
    const b = await inboxOf(g, '15806');
    await a.receive('0754000831', 'Siri yangu', Date.now() - HOUR);
    const path = `/dashboard/inbox/${encodeURIComponent('+255754000831')}/`;
    expect((await b.browser.get('/dashboard/inbox/')).text).not.toContain('+255754000831');
    const theirs = await b.browser.get(path);
    expect(theirs.status).toBe(404);
    expect(theirs.text).toContain('No conversation with +255754000831');
    await b.browser.get('/dashboard/inbox/');
    const reply = await b.browser.post(`${path}reply`, { message: 'Habari' });
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('Siri yangu');
    expect((await a.browser.get(path)).status).toBe(200);
  });

  it('shows times in the account’s own compliance time zone when it has one', async () => {
    const g = gateway();
    const a = await inboxOf(g, '15807');
    await g.mifumo.compliance.setSettings(a.account.id, {
      quietHours: { start: '22:00', end: '06:00', timeZone: 'Africa/Lagos' },
    });
    await a.receive('0754000841', 'Hello', Date.UTC(2026, 4, 10, 18));
    const inbox = await a.browser.get('/dashboard/inbox/');
    expect(inbox.text).toContain('Times in Africa/Lagos.');
    expect(inbox.text).toContain('10 May 2026 19:00 (+01:00)');
  });
});

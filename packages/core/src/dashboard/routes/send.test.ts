import { describe, expect, it } from 'vitest';
import { dashboardClient, errorBeside, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';
import { GSM7_BASIC } from '../../encoding';

const ROOT = '/api/integration/dashboard';

/** A funded account signed in to the dashboard, on the Send page (its token read from the page). */
async function onSendPage(g: TestGateway, balance = 100) {
  const a = await g.newAccount(balance);
  const browser = dashboardClient(g);
  await browser.signIn(a.key);
  const page = await browser.get('/dashboard/send/');
  const token = /name="send_token" value="([0-9A-Za-z]{22})"/.exec(page.text)![1]!;
  return { ...a, browser, page, token };
}

const form = (token: string, fields: Record<string, string | string[]>) => ({
  send_token: token,
  traffic_class: 'transactional',
  sender_id: 'MIFUMO',
  numbers: '',
  message: '',
  ...fields,
});

/** The cost line a page shows. */
const costOf = (html: string) => /<p id="f-cost">([^<]*)<\/p>/.exec(html)?.[1]?.replaceAll('\u00a0', ' ');
/** Every reason a page gives beside a field. */
const reasons = (html: string) => [...html.matchAll(/class="field-error"[^>]*>([^<]*)</g)].map((m) => m[1]);

const messagesOf = async (g: TestGateway, accountId: string) =>
  g.database.db.selectFrom('messages').select(['id', 'body']).where('account_id', '=', accountId).execute();

describe.each(ENGINES)('the Send page on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('offers the sender IDs, and gives its script the encoding module’s tables', async () => {
    const g = gateway();
    const { page } = await onSendPage(g);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Send</h1>');
    expect(page.text).toContain('<option value="MIFUMO" selected="">MIFUMO</option>');
    const tables = /data-gsm="([^"]*)"/
      .exec(page.text)![1]!
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&');
    const parsed = JSON.parse(
      tables.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'"),
    );
    expect(parsed.basic).toBe(GSM7_BASIC.replace('\u001b', ''));
    expect(parsed.fixes['\u2019']).toBe("'");
    expect(page.text).toMatch(/<script nonce="[^"]+">\(\(\)=>\{/);
  });

  it('previews without a script: UCS-2 and why, a fix, the cost; then sends once however often it is submitted', async () => {
    const g = gateway();
    const a = await onSendPage(g);
    const typed = form(a.token, { numbers: '0754 123 456, 0755111222', message: 'Karibu dukani’ leo' });
    const preview = await a.browser.post('/dashboard/send', { ...typed, intent: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('<dd id="f-encoding">UCS-2</dd>');
    expect(preview.text).toContain('<code>’ U+2019</code>');
    expect(preview.text).toContain('Numbers read: 2 valid, 0 not valid.');
    expect(costOf(preview.text)).toBe('Cost: TZS 20.00 (2 recipients × 1 segment). Balance: TZS 100.00.');
    expect(fieldValue(preview.text, 'numbers')).toBe('0754 123 456, 0755111222');

    const fixed = await a.browser.post('/dashboard/send', { ...typed, fix: '’' });
    expect(fixed.status).toBe(200);
    expect(fieldValue(fixed.text, 'message')).toBe('Karibu dukani&#39; leo');
    expect(fixed.text).toContain('<dd id="f-encoding">GSM-7</dd>');
    expect(fixed.text).toContain('<dd id="f-left">142</dd>');

    const fields = { ...typed, message: "Karibu dukani' leo", intent: 'send' };
    const sent = await a.browser.post('/dashboard/send', fields);
    expect(sent.status).toBe(303);
    expect(sent.location).toMatch(new RegExp(`^${ROOT}/messages/msg_\\w+/\\?done=message-sent$`));
    const again = await a.browser.post('/dashboard/send', fields);
    expect(again.location).toBe(sent.location);
    expect(await messagesOf(g, a.account.id)).toHaveLength(1);
    expect((await g.mifumo.admin.getAccount(a.account.id)).balance).toBe(80);

    // The message's page reloads itself until every recipient is final.
    const live = await a.browser.get(sent.location!.replace('/api/integration', ''));
    expect(live.text).toContain('Message sent.');
    expect(live.text).toContain('<meta http-equiv="refresh" content="2"/>');
    await g.dispatchAndSettle();
    const done = await a.browser.get(sent.location!.replace('/api/integration', ''));
    expect(done.text.match(/<span class="status delivered">Delivered<\/span>/g)).toHaveLength(3);
    expect(done.text).not.toContain('http-equiv="refresh"');
  });

  it('says beside each field why a send is refused, keeping what was typed', async () => {
    const g = gateway();
    const a = await onSendPage(g, 0.3);
    const typed = form(a.token, { numbers: '0754123456\n12 34\nabc', message: 'Habari', intent: 'send' });
    const invalid = await a.browser.post('/dashboard/send', typed);
    expect(invalid.status).toBe(400);
    expect(errorBeside(invalid.text, 'numbers')).toBe('2 recipient number(s) are not valid');
    expect(invalid.text).toContain('“12 34” is not valid');
    expect(invalid.text).toContain('“abc” is not valid: only digits');
    expect(fieldValue(invalid.text, 'numbers')).toBe('0754123456\n12 34\nabc');
    expect(fieldValue(invalid.text, 'message')).toBe('Habari');

    const poor = await a.browser.post('/dashboard/send', { ...typed, numbers: '0754123456' });
    expect(poor.status).toBe(402);
    expect(errorBeside(poor.text, 'f-cost')).toBe('Account balance too low for this message');
    const quoted = await a.browser.post('/dashboard/send', {
      ...typed,
      numbers: '0754123456',
      intent: 'preview',
    });
    expect(costOf(quoted.text)).toBe('The balance of TZS 0.30 does not cover TZS 10.00.');

    const empty = await a.browser.post('/dashboard/send', { ...typed, numbers: '' });
    expect(errorBeside(empty.text, 'numbers')).toMatch(/^is required/);
    const later = await a.browser.post('/dashboard/send', {
      ...typed,
      numbers: '0754123456',
      schedule_time: 'kesho',
    });
    expect(errorBeside(later.text, 'schedule_time')).toBe('must be a date and time');
    expect(fieldValue(later.text, 'schedule_time')).toBe('kesho');

    await g.call('POST', '/v1/sender-ids/', {
      key: a.key,
      body: { sender_id: 'DUKA', use: 'transactional' },
    });
    await g.mifumo.admin.decideSenderId(
      a.account.id,
      'DUKA',
      { status: 'approved', reason: null, operators: ['vodacom'] },
      { gatewayWide: ['MIFUMO'], operators: ['vodacom', 'airtel'] },
    );
    const page = await a.browser.get('/dashboard/send/');
    expect(page.text.match(/<option value="DUKA[^/]*/)?.[0]).toBe(
      '<option value="DUKA">DUKA (approved for vodacom only)<',
    );
    const sender = await a.browser.post('/dashboard/send', {
      ...typed,
      numbers: '0754123456 0684000111',
      sender_id: 'DUKA',
    });
    expect(sender.status).toBe(400);
    expect(errorBeside(sender.text, 'sender_id')).toMatch(
      /&quot;DUKA&quot; is not approved for airtel \(pending\)/,
    );
    expect(sender.text).toContain('<option value="DUKA" selected="">');
    expect(await messagesOf(g, a.account.id)).toHaveLength(0);
  });

  it('sends to chosen contacts and a segment with the numbers, each once, and schedules in the account’s zone', async () => {
    const g = gateway();
    const a = await onSendPage(g);
    const contact = async (name: string, phone: string, tags: string[]) =>
      (
        await g.call('POST', '/v1/contacts/create/', {
          key: a.key,
          body: { name, phone_number: phone, tags },
        })
      ).json.data.id as string;
    const asha = await contact('Asha Mushi', '0754200001', []);
    await contact('Juma Said', '0754200002', ['arusha']);
    await contact('Neema Ally', '0754200003', ['arusha']);
    const segment = (
      await g.call('POST', '/v1/contacts/segments/create/', {
        key: a.key,
        body: { name: 'Arusha', criteria: { tags: ['arusha'] } },
      })
    ).json.data.id as string;

    const found = await a.browser.post(
      '/dashboard/send',
      form(a.token, { contact_q: 'asha', intent: 'find' }),
    );
    expect(found.text).toContain(`name="contact_ids" value="${asha}"`);
    expect(found.text).toContain(`<option value="${segment}">Arusha (2 contacts)</option>`);

    const day = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const sent = await a.browser.post(
      '/dashboard/send',
      form(a.token, {
        numbers: '0754200003',
        contact_ids: asha,
        segment_id: segment,
        message: 'Ofa ya leo',
        schedule_time: `${day}T10:00`,
        intent: 'send',
      }),
    );
    expect(reasons(sent.text)).toEqual([]);
    expect(sent.location).toMatch(/\?done=message-scheduled$/);
    const id = /messages\/(msg_\w+)\//.exec(sent.location!)![1]!;
    const status = await g.call('GET', `/v1/sms/status/${id}`, { key: a.key });
    expect(status.json.data.recipients.map((r: { phone: string }) => r.phone).sort()).toEqual([
      '+255754200001',
      '+255754200002',
      '+255754200003',
    ]);
    const [row] = await g.database.db
      .selectFrom('messages')
      .select('schedule_time')
      .where('id', '=', id)
      .execute();
    expect(new Date(row!.schedule_time!).toISOString()).toBe(`${day}T07:00:00.000Z`);
  });

  it('answers its script with the server’s figures and the cost, or why it would be refused', async () => {
    const g = gateway();
    const a = await onSendPage(g);
    const preview = async (fields: Record<string, string>) => {
      const body = new URLSearchParams({ _csrf: a.browser.csrf, ...form(a.token, fields) });
      const res = await g.mifumo.fetch(
        new Request(`http://127.0.0.1:8001${ROOT}/send/preview`, {
          method: 'POST',
          body,
          headers: { accept: 'application/json', cookie: a.browser.cookie! },
        }),
      );
      return { status: res.status, json: await res.json() };
    };
    const quoted = await preview({ numbers: '0754123456', message: '“Habari”' });
    expect(quoted.status).toBe(200);
    expect(quoted.json.data.figures).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
      left: 62,
      forcing: [
        { char: '“', fix: '"' },
        { char: '”', fix: '"' },
      ],
    });
    expect(quoted.json.data.cost).toMatch(/\(1 recipient × 1 segment\)/);
    expect((await preview({ numbers: '12', message: 'x' })).json.data.cost).toBe(
      '1 recipient number(s) are not valid',
    );
    expect((await preview({ message: 'x' })).json.data.cost).toBe('Add recipients to see the cost.');
    expect(await messagesOf(g, a.account.id)).toHaveLength(0);
    const refused = await preview({ message: 'x', colour: 'red' });
    expect(refused.status).toBe(400);
    expect(refused.json.error_code).toBe('VALIDATION_ERROR');
  });
});

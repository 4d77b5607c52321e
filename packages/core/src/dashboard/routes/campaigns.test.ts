import { describe, expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';

/** The hidden fields of the page's confirmation form (what the quote was made of, and its key). */
function confirmation(html: string) {
  const form = /<form method="post" action="[^"]*\/campaigns">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  const fields: Record<string, string[]> = {};
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)) {
    fields[name!] ??= [];
    fields[name!]!.push(value!.replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
  }
  return fields;
}

/** A funded account with four contacts tagged `duka` (one opted out) and a segment of them, signed in. */
async function shop(g: TestGateway) {
  const a = await g.newAccount(1000);
  const { key } = a;
  const ids: string[] = [];
  for (const [name, phone_number] of [
    ['Asha Mushi', '0754400001'],
    ['Juma Kweka', '0754400002'],
    ['Neema', '0754400003'],
    ['Baraka Mosha', '0754400999'],
    ['Zawadi Lema', '0754400005'],
  ]) {
    const made = await g.call('POST', '/v1/contacts/create/', {
      key,
      body: { name, phone_number, tags: ['duka'] },
    });
    ids.push(made.json.data.id);
  }
  await g.mifumo.consent.optOut(a.account.id, '+255754400005', { source: 'api' });
  const segment = await g.call('POST', '/v1/contacts/segments/create/', {
    key,
    body: { name: 'Duka', criteria: { tags: ['duka'] } },
  });
  const browser = dashboardClient(g);
  await browser.signIn(key);
  return { ...a, browser, ids, segmentId: segment.json.data.id as string };
}

const balanceOf = async (g: TestGateway, key: string) =>
  (await g.call('GET', '/v1/sms/balance/', { key })).json.data.balance as number;

describe.each(ENGINES)('dashboard campaigns on %s', (_engine, open) => {
  const gateway = gatewayOn(open, {
    carrier: { fault: (m) => (m.to.endsWith('999') ? 'permanent' : null) },
  });

  it('quotes a personalised campaign to a segment with three previews, creates it once however often it is confirmed, and follows it to completed', async () => {
    const g = gateway();
    const { browser, key, segmentId } = await shop(g);
    const form = await browser.get(`/dashboard/campaigns/new/?segment_id=${segmentId}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`<option value="${segmentId}" selected="">Duka (5 contacts)</option>`);
    // The placeholders are listed as text (the script makes them buttons).
    for (const f of ['name', 'first_name', 'last_name', 'phone_number', 'email'])
      expect(form.text).toContain(`>{${f}}</code>`);

    const typed = {
      name: 'Ofa ya wiki',
      audience: 'segment',
      segment_id: segmentId,
      message: 'Habari {first_name|mteja}, ofa ya wiki iko dukani.',
      sender_id: '',
      traffic_class: 'transactional',
    };
    const before = await balanceOf(g, key);
    const quoted = await browser.post('/dashboard/campaigns/new', typed);
    expect(quoted.status).toBe(200);
    expect(quoted.text).toContain('<dd data-quote="recipients">4</dd>');
    expect(quoted.text).toContain('<dd data-quote="suppressed">1</dd>');
    expect(quoted.text).toContain('<dd data-quote="segments">4</dd>');
    const previews = [
      ...quoted.text.matchAll(/<li data-preview="true"><blockquote>([^<]*)<\/blockquote>/g),
    ].map((m) => m[1]);
    expect(previews).toEqual([
      'Habari Asha, ofa ya wiki iko dukani.',
      'Habari Juma, ofa ya wiki iko dukani.',
      'Habari Neema, ofa ya wiki iko dukani.',
    ]);
    expect(quoted.text).toContain('And 1 more different texts.');
    expect(await balanceOf(g, key)).toBe(before); // a quote charges nothing

    const confirm = confirmation(quoted.text);
    expect(confirm.idempotency_key?.[0]).toMatch(/^\w{20,}$/);
    expect(confirm.message).toEqual([typed.message]);
    const first = await browser.post('/dashboard/campaigns', confirm);
    expect(first.status).toBe(303);
    const id = /\/campaigns\/(cmp_\w+)\/\?done=campaign-created$/.exec(first.location!)?.[1];
    expect(id).toBeDefined();
    const again = await browser.post('/dashboard/campaigns', confirm);
    expect(again.location).toBe(first.location);
    const campaigns = (await g.call('GET', '/v1/campaigns/', { key })).json.data.campaigns;
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]).toMatchObject({ id, name: 'Ofa ya wiki', recipients: 4 });
    expect(await balanceOf(g, key)).toBeCloseTo(before - campaigns[0].cost, 6);

    const sending = await browser.get(first.location!.replace(ROOT, '/dashboard'));
    expect(sending.text).toContain('Campaign created: its messages are on their way.');
    expect(sending.text).toMatch(/<section id="live" class="panel" data-status="(sending|scheduled)"/);
    expect(sending.text).toContain('<noscript><meta http-equiv="refresh" content="5"></noscript>');
    expect(sending.text).toContain('>Cancel campaign</button>');

    await g.dispatchAndSettle();
    const done = await browser.get(`/dashboard/campaigns/${id}/`);
    expect(done.text).toContain('<section id="live" class="panel" data-status="completed"');
    expect(done.text).not.toContain('http-equiv="refresh"');
    expect(done.text).not.toContain('>Cancel campaign</button>');
    const legend = Object.fromEntries(
      [...done.text.matchAll(/<li data-part="(\w+)">[\s\S]*?<strong>(\d+)<\/strong>/g)].map((m) => [
        m[1],
        m[2],
      ]),
    );
    expect(legend).toEqual({
      delivered: '3',
      sent: '0',
      queued: '0',
      failed: '1',
      expired: '0',
      cancelled: '0',
      suppressed: '1',
    });
    // Why one failed: its code, and what it means from the catalogue.
    expect(done.text).toMatch(
      /<tr data-failure="FAKE_REJECTED">[\s\S]*The test carrier rejected it\.[\s\S]*>1<\/td>/,
    );

    // Nothing is left to cancel: refused, saying why, on the campaign's page.
    const cancel = await browser.post(`/dashboard/campaigns/${id}/cancel`);
    expect(cancel.status).toBe(409);
    expect(cancel.text).toContain('has nothing left to cancel');
    expect(cancel.text).toContain('(CONFLICT)');

    const list = await browser.get('/dashboard/campaigns/');
    expect(list.text).toMatch(new RegExp(`<tr data-campaign="${id}">[\\s\\S]*?status completed`));
    expect(list.text).toContain(`aria-label="Progress of Ofa ya wiki"`);
  });

  it('sends to chosen contacts; refuses an unknown placeholder, no audience, and another account’s campaign', async () => {
    const g = gateway();
    const { browser, key, ids } = await shop(g);
    await browser.get('/dashboard/campaigns/new/');
    const base = { name: 'Chagua', message: 'Habari {jina}', sender_id: '', traffic_class: 'transactional' };
    const unknown = await browser.post('/dashboard/campaigns/new', {
      ...base,
      audience: 'contacts',
      contact_ids: [ids[0]!, ids[1]!],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toMatch(/id="c-message-error">[^<]*\{jina\}/);
    expect(unknown.text).toContain('Habari {jina}</textarea>');
    expect(unknown.text).toContain(`value="${ids[1]}" checked=""`);
    const nobody = await browser.post('/dashboard/campaigns/new', { ...base, audience: 'contacts' });
    expect(nobody.status).toBe(400);
    expect(nobody.text).toContain('id="c-audience-error"');

    const quoted = await browser.post('/dashboard/campaigns/new', {
      ...base,
      message: 'Habari {name}',
      audience: 'contacts',
      contact_ids: [ids[0]!, ids[1]!],
    });
    expect(quoted.text).toContain('<dd data-quote="recipients">2</dd>');
    const created = await browser.post('/dashboard/campaigns', confirmation(quoted.text));
    const id = /(cmp_\w+)/.exec(created.location!)![1]!;
    expect((await g.call('GET', `/v1/campaigns/${id}/`, { key })).json.data).toMatchObject({
      audience: { type: 'contacts' },
      recipients: 2,
    });

    const other = dashboardClient(g);
    await other.signIn((await g.newAccount(10)).key);
    expect((await other.get(`/dashboard/campaigns/${id}/`)).status).toBe(404);
    await other.get('/dashboard/campaigns/');
    expect((await other.post(`/dashboard/campaigns/${id}/cancel`)).status).toBe(404);
    expect((await other.get('/dashboard/campaigns/')).text).not.toContain(id);
  });

  it('quotes a campaign the balance cannot pay without a confirm button, and refuses it if posted anyway', async () => {
    const g = gateway();
    const poor = await g.newAccount(15);
    const ids: string[] = [];
    for (const phone_number of ['0754410001', '0754410002'])
      ids.push(
        (
          await g.call('POST', '/v1/contacts/create/', {
            key: poor.key,
            body: { name: 'Mteja', phone_number },
          })
        ).json.data.id,
      );
    const browser = dashboardClient(g);
    await browser.signIn(poor.key);
    await browser.get('/dashboard/campaigns/new/');
    const typed = { name: 'Ghali', message: 'Habari {name}', audience: 'contacts', contact_ids: ids };
    const quoted = await browser.post('/dashboard/campaigns/new', typed);
    expect(quoted.status).toBe(200);
    expect(quoted.text).toContain('The balance is too low for this campaign');
    expect(confirmation(quoted.text)).toEqual({});
    const refused = await browser.post('/dashboard/campaigns', { ...typed, idempotency_key: 'k1' });
    expect(refused.status).toBe(402);
    expect(refused.text).toContain('(INSUFFICIENT_BALANCE)');
    expect(refused.text).toContain('Habari {name}</textarea>');
    expect(await balanceOf(g, poor.key)).toBe(15);
    expect((await g.call('GET', '/v1/campaigns/', { key: poor.key })).json.data.campaigns).toEqual([]);
  });

  it('cancels a scheduled campaign and refunds it', async () => {
    const g = gateway();
    const { browser, key, segmentId } = await shop(g);
    const made = await g.call('POST', '/v1/campaigns/', {
      key,
      body: {
        name: 'Baadaye',
        message: 'Habari {name}',
        segment_id: segmentId,
        schedule_time: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    const id = made.json.data.id as string;
    const before = await balanceOf(g, key);
    const page = await browser.get(`/dashboard/campaigns/${id}/`);
    expect(page.text).toContain('data-status="scheduled"');
    const cancelled = await browser.post(`/dashboard/campaigns/${id}/cancel`);
    expect(cancelled.location).toBe(`${ROOT}/campaigns/${id}/?done=campaign-cancelled`);
    expect(await balanceOf(g, key)).toBeCloseTo(before + made.json.data.cost, 6);
    const after = await browser.get(`/dashboard/campaigns/${id}/?done=campaign-cancelled`);
    expect(after.text).toContain('data-status="cancelled"');
    expect(after.text).toMatch(/<tr data-failure="CANCELLED">[\s\S]*cancelled before this was sent/);
    const log = (await g.call('GET', '/v1/activity/?action=campaign.cancelled', { key })).json.data.activity;
    expect(log).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { dashboardClient, errorBeside, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn } from '../../../test/harness';

const OPERATOR_KEY = 'mk_op_dashsenderids0123456789abcdefghij';
const EVERY_OPERATOR = ['airtel', 'halotel', 'ttcl', 'vodacom', 'yas'];

/** Each operator's state of a sender ID as its row's badges say it (`vodacom=approved`). */
const badges = (html: string, senderId: string) => {
  const row = new RegExp(`<tr data-sender-id="${senderId}"[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  return [...row.matchAll(/data-operator="(\w+)" data-status="(\w+)"/g)].map((m) => `${m[1]}=${m[2]}`);
};
const overall = (html: string, senderId: string) =>
  new RegExp(`<tr data-sender-id="${senderId}" data-status="(\\w+)"`).exec(html)?.[1];

describe.each(ENGINES)('the Sender IDs page on %s', (_engine, open) => {
  const gateway = gatewayOn(open, { operatorKey: OPERATOR_KEY, config: { senderIds: ['MIFUMO'] } });

  async function signedIn() {
    const g = gateway();
    const a = await g.newAccount(100);
    const browser = dashboardClient(g);
    await browser.signIn(a.key);
    const operator = (...argv: string[]) =>
      g.call('POST', '/operator/commands/', { key: OPERATOR_KEY, body: { argv } });
    return { g, ...a, browser, operator };
  }

  it('lists the gateway-wide sender IDs, approved by every operator', async () => {
    const { browser } = await signedIn();
    const page = await browser.get('/dashboard/sender-ids/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h2>Sender IDs (1)</h2>');
    expect(overall(page.text, 'MIFUMO')).toBe('approved');
    expect(badges(page.text, 'MIFUMO')).toEqual(EVERY_OPERATOR.map((o) => `${o}=approved`));
    expect(page.text).toContain('for every account of the gateway');
  });

  it('asks for one as the API does: pending with every operator, logged, then decided by each operator', async () => {
    const { g, account, browser, operator } = await signedIn();
    await browser.get('/dashboard/sender-ids/');
    const asked = await browser.post('/dashboard/sender-ids', {
      sender_id: 'DUKA',
      use: 'promotional',
      note: 'Duka la Asha, TIN 123',
    });
    expect(asked.status).toBe(303);
    expect(asked.location).toBe('/api/integration/dashboard/sender-ids/?done=sender-id-requested');
    const listed = await browser.get(asked.location!.replace('/api/integration', ''));
    expect(listed.text).toContain('Sender ID requested: pending with every operator');
    expect(overall(listed.text, 'DUKA')).toBe('pending');
    expect(badges(listed.text, 'DUKA')).toEqual(EVERY_OPERATOR.map((o) => `${o}=pending`));

    const api = (await g.call('GET', '/v1/sender-ids/', { key: (await g.newAccount()).key })).json.data;
    expect(api.sender_ids.map((s: { sender_id: string }) => s.sender_id)).toEqual(['MIFUMO']); // theirs only
    const logged = await g.database.db
      .selectFrom('activity_log')
      .select(['actor', 'action', 'subject', 'details'])
      .where('account_id', '=', account.id)
      .where('action', '=', 'sender_id.requested')
      .execute();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.subject).toBe('DUKA');
    expect(logged[0]!.actor).toMatch(/^key:/);
    expect(JSON.parse(logged[0]!.details!)).toEqual({ use: 'promotional', note: 'Duka la Asha, TIN 123' });

    await operator('sender-ids', 'approve', 'DUKA', '--account', account.id, '--operators', 'vodacom');
    await operator(
      'sender-ids',
      'reject',
      'DUKA',
      '--account',
      account.id,
      '--operators',
      'yas',
      '--reason',
      'Jina la chapa',
    );
    const decided = await browser.get('/dashboard/sender-ids/');
    expect(overall(decided.text, 'DUKA')).toBe('partial');
    expect(badges(decided.text, 'DUKA')).toEqual([
      'airtel=pending',
      'halotel=pending',
      'ttcl=pending',
      'vodacom=approved',
      'yas=rejected',
    ]);
    expect(decided.text).toContain('yas: Rejected — Jina la chapa');

    const activity = await browser.get('/dashboard/activity/');
    expect(activity.text).toContain('Sender ID DUKA requested, for promotional messages.');
    expect(activity.text).toContain('Sender ID DUKA approved for vodacom.');
    expect(activity.text).toContain('Sender ID DUKA rejected for yas: Jina la chapa.');
    const filtered = await browser.get('/dashboard/activity/?action=sender_id.requested');
    expect(filtered.text).toContain(
      '<option value="sender_id.requested" selected="">Sender ID requested</option>',
    );
  });

  it('refuses a malformed or taken sender ID beside its field, keeping what was typed', async () => {
    const { browser } = await signedIn();
    await browser.get('/dashboard/sender-ids/');
    const malformed = await browser.post('/dashboard/sender-ids', {
      sender_id: 'WAY-TOO-LONG-ID',
      use: 'promotional',
      note: 'Duka',
    });
    expect(malformed.status).toBe(400);
    expect(fieldValue(malformed.text, 's-name')).toBe('WAY-TOO-LONG-ID');
    expect(fieldValue(malformed.text, 's-note')).toBe('Duka');
    expect(malformed.text).toContain('<option value="promotional" selected="">');
    expect(errorBeside(malformed.text, 's-name')).toMatch(/1-11 letters/);

    const wide = await browser.post('/dashboard/sender-ids', { sender_id: 'MIFUMO', use: 'transactional' });
    expect(wide.status).toBe(409);
    expect(errorBeside(wide.text, 's-name')).toContain('gateway-wide');

    await browser.post('/dashboard/sender-ids', { sender_id: 'ASHA', use: 'transactional' });
    const again = await browser.post('/dashboard/sender-ids', { sender_id: 'ASHA', use: 'promotional' });
    expect(again.status).toBe(409);
    expect(errorBeside(again.text, 's-name')).toContain('asked for already (pending)');
    expect(fieldValue(again.text, 's-name')).toBe('ASHA');

    const unknown = await browser.post('/dashboard/sender-ids', {
      sender_id: 'SOKO',
      use: 'transactional',
      colour: 'red',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('colour');
    expect((await browser.get('/dashboard/sender-ids/')).text).not.toContain('SOKO');
  });
});

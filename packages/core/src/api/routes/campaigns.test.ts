import { describe, expect, it } from 'vitest';
import { ENGINES, openTestDatabase } from '../../../test/databases';
import { createTestGateway, manualClock, type TestGateway } from '../../../test/harness';
import { systemClock } from '../../clock';
import { configSchema } from '../../config';
import { createContactImport } from '../../services/contact-import';
import { createStore } from '../../storage/store';

const LONG = { messages: { maxLength: null, maxSegments: 4 } };

async function withGateway(
  open: (typeof ENGINES)[number][1] | null,
  run: (g: TestGateway) => Promise<void>,
  options: Parameters<typeof createTestGateway>[0] = {},
) {
  const fresh = open ? await open() : null;
  const g = await createTestGateway({ ...(fresh ? { storage: fresh.storage } : {}), ...options });
  try {
    await run(g);
  } finally {
    await g.close();
    await fresh?.drop();
  }
}

/** `n` contacts made in one import: names of mixed lengths, every 7th inactive, tag `wateja`. */
async function contacts(
  g: TestGateway,
  accountId: string,
  n: number,
  nameOf = (i: number) => `Mteja${'x'.repeat(i % 40)} ${i}`,
) {
  const importer = createContactImport({
    store: createStore(g.database),
    clock: systemClock,
    config: configSchema.parse({}),
  });
  const rows = Array.from({ length: n }, (_, i) => ({
    row: i + 1,
    values: {
      name: nameOf(i),
      phone_number: `07${String(54_000_000 + i).padStart(8, '0')}`,
      tags: ['wateja'],
      is_active: i % 7 !== 6,
    },
  }));
  const report = await importer.importRows(accountId, rows, 'skip');
  expect(report.created).toBe(n);
}

const balanceOf = async (g: TestGateway, key: string) =>
  (await g.call('GET', '/v1/sms/balance/', { key })).json.data.balance;

describe.each(ENGINES)('campaigns on %s', (_engine, open) => {
  it('sends a personalised campaign to a segment: each recipient priced by its own text, charged once, in reports with its id', async () => {
    await withGateway(
      open,
      async (g) => {
        const { account, key } = await g.newAccount(100_000);
        await contacts(g, account.id, 70);
        const seg = (
          await g.call('POST', '/v1/contacts/segments/create/', {
            key,
            body: { name: 'W', criteria: { tags: ['wateja'] } },
          })
        ).json.data;
        const body = {
          name: 'Ofa',
          segment_id: seg.id,
          message: `Habari {first_name|mteja}! ${'Ofa maalum leo. '.repeat(8)}`,
        };
        const quote = await g.call('POST', '/v1/campaigns/quote/', { key, body });
        expect(quote.status).toBe(200);
        expect(quote.json.data).toMatchObject({
          recipients: 60,
          excluded: { inactive: 10, duplicates: 0 },
          balance_sufficient: true,
        });
        // Names of 5 to 44 characters: one text each, some past a segment boundary.
        expect(quote.json.data.segments).toBeGreaterThan(60);
        const made = await g.call('POST', '/v1/campaigns/', { key, body });
        expect(made.status).toBe(201);
        const c = made.json.data;
        expect(c).toMatchObject({
          name: 'Ofa',
          recipients: 60,
          excluded: { inactive: 10 },
          cost: quote.json.data.cost,
          refunded: 0,
        });
        expect(c.cost).toBe(quote.json.data.segments * 10);
        expect(await balanceOf(g, key)).toBe(100_000 - c.cost);
        await g.dispatchAndSettle();
        const done = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
        expect(done).toMatchObject({
          status: 'completed',
          progress: { delivered: 60, queued: 0, failed: 0 },
          pending: 0,
        });
        const sent = g.carrier.sent.map((m) => m.to);
        expect(sent).toHaveLength(60);
        expect(new Set(sent).size).toBe(60);
        const messages = (await g.call('GET', `/v1/sms/messages/?campaign_id=${c.id}&per_page=100`, { key }))
          .json.data;
        expect(messages.pagination.total).toBeGreaterThan(1);
        expect(messages.messages[0].campaign_id).toBe(c.id);
        expect(messages.messages.some((m: { message: string }) => m.message.startsWith('Habari Mteja'))).toBe(
          true,
        );
        const reports = (await g.call('GET', '/v1/sms/delivery-reports/?per_page=1', { key })).json.data
          .reports;
        expect(reports[0].campaign_id).toBe(c.id);
        const status = (await g.call('GET', `/v1/sms/status/${messages.messages[0].message_id}/`, { key }))
          .json.data;
        expect(status.campaign_id).toBe(c.id);
        const list = (await g.call('GET', '/v1/campaigns/', { key })).json.data;
        expect(list.campaigns.map((x: { id: string }) => x.id)).toEqual([c.id]);
      },
      { config: LONG },
    );
  });

  it('cancels what was not taken and refunds exactly that; a refused campaign leaves no trace', async () => {
    await withGateway(open, async (g) => {
      const { account, key } = await g.newAccount(1000);
      await contacts(g, account.id, 14, (i) => `Juma ${i}`);
      const ids = (await g.call('GET', '/v1/contacts/?per_page=100', { key })).json.data.contacts.map(
        (c: { id: string }) => c.id,
      );
      await g.call('PUT', '/v1/webhooks/', { key, body: { url: 'https://hooks.example.co.tz/sms' } });
      const schedule_time = new Date(Date.now() + 3_600_000).toISOString();
      const c = (
        await g.call('POST', '/v1/campaigns/', {
          key,
          body: { name: 'Later', contact_ids: [...ids, ids[0]], message: 'Karibu {name}', schedule_time },
        })
      ).json.data;
      expect(c).toMatchObject({
        status: 'scheduled',
        recipients: 12,
        excluded: { inactive: 2, duplicates: 1 },
        cost: 120,
      });
      expect(await balanceOf(g, key)).toBe(880);
      const cancelled = await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key });
      expect(cancelled.json.data).toMatchObject({
        status: 'cancelled',
        cancelled_now: 12,
        refunded_now: 120,
        refunded: 120,
        progress: { cancelled: 12, queued: 0 },
        was: 'scheduled',
      });
      expect(await balanceOf(g, key)).toBe(1000);
      const again = await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key });
      expect(again.json.data).toMatchObject({ cancelled_now: 0, refunded_now: 0, refunded: 120 });
      expect(await balanceOf(g, key)).toBe(1000);
      const events = (await g.call('GET', '/v1/webhooks/deliveries/?per_page=100', { key })).json.data
        .deliveries;
      expect(events).toHaveLength(12);
      expect(events.every((e: { event: string }) => e.event === 'failed')).toBe(true);
      const report = (await g.call('GET', '/v1/sms/delivery-reports/?per_page=1', { key })).json.data
        .reports[0];
      expect(report).toMatchObject({ status: 'failed', error: { code: 'CANCELLED' } });

      // Too dear: refused, nothing stored, nothing charged.
      const dear = await g.call('POST', '/v1/campaigns/', {
        key,
        body: {
          name: 'Dear',
          recipients: Array.from({ length: 101 }, (_, i) => `+2557541${String(i).padStart(5, '0')}`),
          message: 'Hi',
        },
      });
      expect(dear.status).toBe(402);
      expect(dear.json).toMatchObject({
        error_code: 'INSUFFICIENT_BALANCE',
        details: { required: 1010, currency: 'TZS' },
      });
      expect(await balanceOf(g, key)).toBe(1000);
      expect((await g.call('GET', '/v1/campaigns/', { key })).json.data.pagination.total).toBe(1);
      expect(
        (await g.call('GET', '/v1/sms/messages/?per_page=100', { key })).json.data.pagination.total,
      ).toBe(12); // the cancelled campaign's, one per name; nothing of the refused one
    });
  });

  it('cancels mid-way: what a dispatcher already took goes on, the rest is refunded exactly', async () => {
    await withGateway(
      open,
      async (g) => {
        const { key } = await g.newAccount(10_000);
        const recipients = Array.from({ length: 300 }, (_, i) => `+2557542${String(i).padStart(5, '0')}`);
        const c = (
          await g.call('POST', '/v1/campaigns/', {
            key,
            body: { name: 'Half', recipients, message: 'Habari {name|rafiki}' },
          })
        ).json.data;
        expect(c.cost).toBe(3000);
        await g.mifumo.dispatchDue({ maxBatches: 1 }); // one batch of 100 taken
        const r = (await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key })).json.data;
        expect(r.cancelled_now).toBe(200);
        expect(r.refunded_now).toBe(2000);
        await g.dispatchAndSettle();
        const done = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
        expect(done.progress).toEqual({
          queued: 0,
          sent: 0,
          delivered: 100,
          failed: 0,
          expired: 0,
          cancelled: 200,
        });
        expect(await balanceOf(g, key)).toBe(10_000 - 1000);
        expect(g.carrier.sent).toHaveLength(100);
      },
      { config: { dispatch: { batchSize: 100 } } },
    );
  });

  it('answers 409 to a cancel with nothing left to cancel, and keeps the campaign completed', async () => {
    await withGateway(open, async (g) => {
      const { key } = await g.newAccount(1000);
      const c = (
        await g.call('POST', '/v1/campaigns/', {
          key,
          body: { name: 'Done', recipients: ['0754009101', '0754009102'], message: 'Hi' },
        })
      ).json.data;
      await g.dispatchAndSettle();
      const refused = await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key });
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({
        error_code: 'CONFLICT',
        details: { reason: 'campaign_finished', campaign_id: c.id, status: 'completed' },
      });
      const after = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
      expect(after).toMatchObject({ status: 'completed', cancelled_at: null, refunded: 0 });
      expect(after.progress).toMatchObject({ delivered: 2, cancelled: 0 });
      expect(await balanceOf(g, key)).toBe(980);
      const log = (await g.call('GET', '/v1/activity/', { key })).json.data;
      expect(JSON.stringify(log)).not.toContain('campaign.cancelled');
    });
  });

  it('names the contact and the field when one contact’s value makes its text too long', async () => {
    await withGateway(open, async (g) => {
      const { key } = await g.newAccount(1000);
      const create = async (name: string, phone_number: string) =>
        (await g.call('POST', '/v1/contacts/create/', { key, body: { name, phone_number, tags: ['t'] } }))
          .json.data.id;
      const asha = await create('Asha', '0754009301');
      const juma = await create(`Juma ${'Mwinyimkuu'.repeat(19)}`, '0754009302');
      const seg = (
        await g.call('POST', '/v1/contacts/segments/create/', {
          key,
          body: { name: 'T', criteria: { tags: ['t'] } },
        })
      ).json.data;
      for (const audience of [{ contact_ids: [asha, juma] }, { segment_id: seg.id }]) {
        const refused = await g.call('POST', '/v1/campaigns/', {
          key,
          body: { name: 'Long', message: 'Habari {first_name}, wewe ni {name}', ...audience },
        });
        expect(refused.status).toBe(400);
        expect(refused.json).toMatchObject({
          error_code: 'MESSAGE_TOO_LONG',
          details: { contact_id: juma, field: 'name', max_length: 160 },
        });
        expect(refused.json.message).toContain(juma);
      }
      // A template too long for anyone is the message's fault, not a contact's.
      const template = await g.call('POST', '/v1/campaigns/', {
        key,
        body: { name: 'Long', message: `{first_name} ${'x'.repeat(170)}`, contact_ids: [asha] },
      });
      expect(template.json).toMatchObject({ error_code: 'MESSAGE_TOO_LONG', details: { field: 'message' } });
      expect(template.json.details.contact_id).toBeNull();
      expect(await balanceOf(g, key)).toBe(1000);
    });
  });

  it('lets concurrent campaigns against one balance through only as far as it goes', async () => {
    await withGateway(open, async (g) => {
      const { key } = await g.newAccount(500); // five campaigns of 10 recipients at 10 TZS
      const campaign = (k: number) =>
        g.call('POST', '/v1/campaigns/', {
          key,
          body: {
            name: `C${k}`,
            message: 'Hi',
            recipients: Array.from(
              { length: 10 },
              (_, i) => `+25575430${String(k).padStart(2, '0')}${String(i).padStart(2, '0')}`,
            ),
          },
        });
      const answers = await Promise.all(Array.from({ length: 12 }, (_, k) => campaign(k)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
      expect(answers.filter((a) => a.status === 402)).toHaveLength(7);
      expect(await balanceOf(g, key)).toBe(0);
      expect((await g.call('GET', '/v1/sms/messages/', { key })).json.data.pagination.total).toBe(5);
    });
  });

  it('refuses what it cannot send, naming why, and another account’s campaign, segment or contacts', async () => {
    await withGateway(open, async (g) => {
      const mine = await g.newAccount(100);
      const theirs = await g.newAccount(100);
      const seg = (
        await g.call('POST', '/v1/contacts/segments/create/', { key: theirs.key, body: { name: 'S' } })
      ).json.data;
      const ct = (
        await g.call('POST', '/v1/contacts/create/', {
          key: theirs.key,
          body: { name: 'T', phone_number: '0754009001' },
        })
      ).json.data;
      const c = (
        await g.call('POST', '/v1/campaigns/', {
          key: theirs.key,
          body: { name: 'T', message: 'Hi', recipients: ['0754009002'] },
        })
      ).json.data;
      const post = (body: Record<string, unknown>) =>
        g.call('POST', '/v1/campaigns/', { key: mine.key, body: { name: 'X', message: 'Hi', ...body } });
      expect((await post({ segment_id: seg.id })).status).toBe(404);
      expect((await post({ contact_ids: [ct.id] })).json).toMatchObject({
        error_code: 'VALIDATION_ERROR',
        details: [{ field: 'contact_ids.0', message: 'not a contact of this account' }],
      });
      expect((await post({})).json.error_code).toBe('VALIDATION_ERROR');
      expect((await post({ recipients: ['0754009003'], segment_id: seg.id })).json.error_code).toBe(
        'VALIDATION_ERROR',
      );
      const placeholder = await post({ recipients: ['0754009003'], message: 'Habari {name}' });
      expect(placeholder.json.message).toContain('give each one a default');
      expect((await post({ recipients: ['0754009003'], message: 'Habari {jina}' })).json.details).toEqual([
        { field: 'message', message: expect.stringContaining('has unknown placeholder {jina}:') },
      ]);
      expect((await post({ recipients: ['12'] })).json.error_code).toBe('INVALID_PHONE');
      // A number outside the default region with no price refuses the campaign (and its quote), naming it.
      const kenyan = (
        await g.call('POST', '/v1/contacts/create/', {
          key: mine.key,
          body: { name: 'K', phone_number: '+254712345678' },
        })
      ).json.data;
      for (const audience of [{ recipients: ['0754009003', '+254712345678'] }, { contact_ids: [kenyan.id] }])
        for (const path of ['/v1/campaigns/', '/v1/campaigns/quote/']) {
          const far = await g.call('POST', path, {
            key: mine.key,
            body: { name: 'X', message: 'Hi', ...audience },
          });
          expect(far.json).toMatchObject({
            error_code: 'UNSUPPORTED_DESTINATION',
            details: { phones: ['+254712345678'] },
          });
          expect(far.json.message).toContain('+254712345678');
        }
      expect((await post({ recipients: ['0754009003'], sender_id: 'NOPE' })).json.error_code).toBe(
        'INVALID_SENDER_ID',
      );
      expect((await post({ recipients: ['0754009003'], colour: 'red' })).json.error_code).toBe(
        'VALIDATION_ERROR',
      );
      expect((await g.call('GET', `/v1/campaigns/${c.id}/`, { key: mine.key })).status).toBe(404);
      expect((await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key: mine.key })).status).toBe(404);
      expect((await g.call('GET', `/v1/campaigns/${c.id}/`, { key: theirs.key })).json.data.status).not.toBe(
        'cancelled',
      );
      expect(await balanceOf(g, mine.key)).toBe(100);
    });
  });
});

describe('a campaign at scale', () => {
  it('sends to a 10,000-contact segment with personalised texts of mixed lengths: cost the sum, balance exact, each once', async () => {
    await withGateway(
      null,
      async (g) => {
        const { account, key } = await g.newAccount(1_000_000);
        await contacts(g, account.id, 10_000);
        const seg = (
          await g.call('POST', '/v1/contacts/segments/create/', {
            key,
            body: { name: 'All', criteria: { is_active: true } },
          })
        ).json.data;
        const message = `Habari {first_name|mteja}, ${'asante kwa kununua. '.repeat(6)}`;
        const quote = (
          await g.call('POST', '/v1/campaigns/quote/', {
            key,
            body: { name: 'Big', segment_id: seg.id, message },
          })
        ).json.data;
        const made = await g.call('POST', '/v1/campaigns/', {
          key,
          body: { name: 'Big', segment_id: seg.id, message },
        });
        const c = made.json.data;
        const active = 10_000 - Math.floor(10_000 / 7);
        expect(c).toMatchObject({ recipients: active, cost: quote.cost });
        expect(c.cost).toBe(quote.segments * 10);
        expect(quote.segments).toBeGreaterThan(active); // some texts take two segments
        expect(await balanceOf(g, key)).toBe(1_000_000 - c.cost);
        await g.dispatchAndSettle();
        while ((await g.mifumo.dispatchDue()) > 0) await g.settle();
        const done = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
        expect(done.progress).toMatchObject({ delivered: active, queued: 0, failed: 0 });
        const to = g.carrier.sent.map((m) => m.to);
        expect(new Set(to).size).toBe(active);
        expect(to.length).toBeGreaterThanOrEqual(active); // long texts go in parts, each part once
      },
      { config: LONG },
    );
  }, 180_000);
});

describe('a large campaign’s move and the dispatcher', () => {
  it('take turns: a send due now is submitted between parts of the move, not after all of it', async () => {
    const database = openTestDatabase();
    // What reaches the database and the carrier, in order: each step of the recipients' move, each submit.
    const events: ('move' | 'submit')[] = [];
    const watched = {
      ...database,
      atomic: (queries: Parameters<typeof database.atomic>[0]) => {
        if (queries.some((q) => q.sql.startsWith('delete from "staged_recipients"'))) events.push('move');
        return database.atomic(queries);
      },
    };
    await withGateway(
      null,
      async (g) => {
        const { key } = await g.newAccount(300_000);
        const recipients = Array.from({ length: 25_000 }, (_, i) => `+2557546${String(i).padStart(5, '0')}`);
        const schedule_time = new Date(Date.now() + 3_600_000).toISOString();
        const c = (
          await g.call('POST', '/v1/campaigns/', {
            key,
            body: { name: 'Kesho', recipients, message: 'Habari {name|rafiki}', schedule_time },
          })
        ).json.data;
        expect(c.status).toBe('preparing');
        const sent = await g.call('POST', '/v1/sms/send/', {
          body: { message: 'Nambari yako ni 4821', recipients: ['+255754700001'] },
        });
        expect(sent.status).toBe(200);
        await g.mifumo.dispatchDue();
        expect(events.filter((e) => e === 'move')).toHaveLength(25);
        expect(events.indexOf('submit')).toBeGreaterThan(0);
        expect(events.indexOf('submit')).toBeLessThan(events.lastIndexOf('move'));
        const after = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
        expect(after).toMatchObject({ status: 'scheduled', progress: { queued: 25_000 } });
      },
      {
        storage: watched,
        carrier: {
          fault: () => {
            events.push('submit');
            return null;
          },
        },
      },
    );
  }, 120_000);
});

describe.each(ENGINES)('campaigns with an Idempotency-Key on %s', (_engine, open) => {
  const body = { name: 'Ofa', message: 'Habari {name|rafiki}', recipients: ['0754009201', '0754009202'] };
  const post = (g: TestGateway, key: string, idem: string, b: unknown = body) =>
    g.call('POST', '/v1/campaigns/', { key, body: b, headers: { 'Idempotency-Key': idem } });
  const campaignsOf = async (g: TestGateway, key: string) =>
    (await g.call('GET', '/v1/campaigns/', { key })).json.data.pagination.total;

  it('a retry with the same key and body answers the first response and creates and charges nothing more', async () => {
    await withGateway(open, async (g) => {
      const { key } = await g.newAccount(1000);
      const first = await post(g, key, 'eid-1');
      expect(first.status).toBe(201);
      const again = await post(g, key, 'eid-1');
      expect(again.status).toBe(201);
      expect(again.json).toEqual(first.json);
      expect(await balanceOf(g, key)).toBe(980);
      expect(await campaignsOf(g, key)).toBe(1);
      expect((await g.call('GET', '/v1/sms/messages/', { key })).json.data.pagination.total).toBe(1);
    });
  });

  it('concurrent identical requests make exactly one campaign, charged once, even near a zero balance', async () => {
    await withGateway(open, async (g) => {
      const { key } = await g.newAccount(1000);
      const answers = await Promise.all(Array.from({ length: 12 }, () => post(g, key, 'burst-1')));
      expect(answers.map((a) => a.status)).toEqual(Array(12).fill(201));
      expect(new Set(answers.map((a) => a.json.data.id)).size).toBe(1);
      expect(await balanceOf(g, key)).toBe(980);
      expect(await campaignsOf(g, key)).toBe(1);
      // Enough for one campaign of two recipients (20), not two: a twin's own debit fails on the balance.
      const poor = await g.newAccount(30);
      for (let round = 0; round < 5; round++) {
        const [a, b] = await Promise.all([post(g, poor.key, 'twin-1'), post(g, poor.key, 'twin-1')]);
        expect([a.status, b.status]).toEqual([201, 201]);
        expect(b.json.data.id).toBe(a.json.data.id);
      }
      expect(await balanceOf(g, poor.key)).toBe(10);
      expect(await campaignsOf(g, poor.key)).toBe(1);
    });
  });

  it('the same key with another body, or a send’s key, is a CONFLICT; a refused attempt stores nothing; a bad key is refused', async () => {
    await withGateway(open, async (g) => {
      const { account, key } = await g.newAccount(1000);
      await post(g, key, 'eid-2');
      const other = await post(g, key, 'eid-2', { ...body, name: 'Another' });
      expect(other.status).toBe(409);
      expect(other.json).toMatchObject({
        error_code: 'CONFLICT',
        details: { reason: 'idempotency_key_reused', idempotency_key: 'eid-2' },
      });
      await g.call('POST', '/v1/sms/send/', {
        key,
        body: { message: 'Habari rafiki', recipients: ['0754009201', '0754009202'] },
        headers: { 'Idempotency-Key': 'sent-1' },
      });
      expect((await post(g, key, 'sent-1')).json.error_code).toBe('CONFLICT');
      expect(await campaignsOf(g, key)).toBe(1);

      const bad = await post(g, key, 'has space');
      expect(bad.json).toMatchObject({
        error_code: 'VALIDATION_ERROR',
        details: [{ field: 'Idempotency-Key', message: expect.any(String) }],
      });

      const poor = await g.newAccount(5);
      expect((await post(g, poor.key, 'pay-1')).json.error_code).toBe('INSUFFICIENT_BALANCE');
      await g.mifumo.admin.topUp(poor.account.id, 100);
      expect((await post(g, poor.key, 'pay-1')).status).toBe(201);
      // Keys are per account: the first account's key is free in another.
      expect((await post(g, poor.key, 'eid-2')).status).toBe(201);
      expect(account.id).not.toBe(poor.account.id);
    });
  });
});

describe.each(ENGINES)('a large campaign prepared in steps on %s', (_engine, open) => {
  /** Rows left in the staging tables (every engine's: none once each campaign is prepared or refused). */
  const stagedRows = async (g: TestGateway) => {
    const count = (table: 'staged_messages' | 'staged_recipients') =>
      g.database.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
    return Number((await count('staged_messages')).n) + Number((await count('staged_recipients')).n);
  };
  const CONTACTS = 2_500;
  const active = CONTACTS - Math.floor(CONTACTS / 7);

  /** A segment of `CONTACTS` contacts named `Juma <i>`: one text each, one segment each. */
  async function segmentOf(g: TestGateway, accountId: string, key: string) {
    await contacts(g, accountId, CONTACTS, (i) => `Juma ${i}`);
    return (
      await g.call('POST', '/v1/contacts/segments/create/', {
        key,
        body: { name: 'Wote', criteria: { tags: ['wateja'] } },
      })
    ).json.data.id as string;
  }

  it('answers `preparing` at once, charged once; a move stopped mid-way is finished by a new gateway on the same database, each recipient once', async () => {
    const fresh = await open();
    // The first process stops (every write fails) once `steps` more atomic steps have run.
    let steps = Number.POSITIVE_INFINITY;
    const stopping = {
      ...fresh.storage,
      atomic: async (queries: Parameters<typeof fresh.storage.atomic>[0]) => {
        if (steps-- <= 0) throw new Error('the process stopped');
        return fresh.storage.atomic(queries);
      },
      close: async () => {},
    };
    const first = await createTestGateway({ storage: stopping });
    let second: TestGateway | null = null;
    try {
      const { account, key } = await first.newAccount(1_000_000);
      const segment_id = await segmentOf(first, account.id, key);
      const body = { name: 'Wote', segment_id, message: 'Habari {name}, karibu dukani.' };
      const quote = (await first.call('POST', '/v1/campaigns/quote/', { key, body })).json.data;
      const made = await first.call('POST', '/v1/campaigns/', { key, body });
      expect(made.status).toBe(201);
      const c = made.json.data;
      expect(c).toMatchObject({
        status: 'preparing',
        recipients: active,
        cost: quote.cost,
        progress: { queued: active, sent: 0 },
        pending: active,
      });
      expect(c.cost).toBe(active * 10);
      expect(await balanceOf(first, key)).toBe(1_000_000 - c.cost);
      // Its messages move in three steps (1,000 a step), then its recipients: stopped after the first of those.
      steps = 4;
      await expect(first.mifumo.dispatchDue()).rejects.toThrow('the process stopped');
      await first.close();

      second = await createTestGateway({ storage: fresh.storage });
      const g = second;
      const mid = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
      expect(mid).toMatchObject({ status: 'preparing', progress: { queued: active } });
      expect(await stagedRows(g)).toBe(active - 1000);
      await g.dispatchAndSettle();
      while ((await g.mifumo.dispatchDue()) > 0) await g.settle();
      expect(await stagedRows(g)).toBe(0);
      const done = (await g.call('GET', `/v1/campaigns/${c.id}/`, { key })).json.data;
      expect(done).toMatchObject({
        status: 'completed',
        progress: { delivered: active, queued: 0, failed: 0, cancelled: 0 },
        refunded: 0,
      });
      const to = g.carrier.sent.map((m) => m.to);
      expect(to).toHaveLength(active);
      expect(new Set(to).size).toBe(active);
      const messages = (await g.call('GET', `/v1/sms/messages/?campaign_id=${c.id}&per_page=1`, { key })).json
        .data;
      expect(messages.pagination.total).toBe(active);
      expect(await balanceOf(g, key)).toBe(1_000_000 - c.cost);
    } finally {
      await (second ?? first).close();
      await fresh.storage.close();
      await fresh.drop();
    }
  }, 120_000);

  it('drops what a process staged for a campaign it never stored, once that is an hour old, and keeps what a running request stages', async () => {
    const clock = manualClock(Date.parse('2026-03-01T08:00:00.000Z'));
    await withGateway(
      open,
      async (g) => {
        const { account } = await g.newAccount(1000);
        const staged = (campaign: string, at: string) =>
          g.database.db
            .insertInto('staged_recipients')
            .values({
              id: `rcp_${campaign}`,
              campaign_id: campaign,
              message_id: `msg_${campaign}`,
              account_id: account.id,
              phone: '+255754000001',
              operator: null,
              cost: 10,
              status: 'queued',
              next_attempt_at: at,
              created_at: at,
              updated_at: at,
            })
            .execute();
        // As a process that stopped between staging and its campaign's atomic step leaves them.
        await staged('cmp_abandoned', '2026-03-01T06:59:59.000Z');
        await staged('cmp_running', '2026-03-01T07:59:00.000Z');
        await g.mifumo.dispatchDue();
        expect(await stagedRows(g)).toBe(1);
        clock.advance(3_600_000);
        await g.mifumo.dispatchDue();
        expect(await stagedRows(g)).toBe(0);
      },
      { clock },
    );
  });

  it('cancelled while preparing: every recipient cancelled and refunded exactly; refused for its cost: nothing stays', async () => {
    await withGateway(open, async (g) => {
      const { account, key } = await g.newAccount(100_000);
      const segment_id = await segmentOf(g, account.id, key);
      const schedule_time = new Date(Date.now() + 3_600_000).toISOString();
      const body = { name: 'Baadaye', segment_id, message: 'Habari {name}', schedule_time };
      const c = (await g.call('POST', '/v1/campaigns/', { key, body })).json.data;
      expect(c).toMatchObject({ status: 'preparing', cost: active * 10 });
      expect(await balanceOf(g, key)).toBe(100_000 - active * 10);
      const cancelled = await g.call('POST', `/v1/campaigns/${c.id}/cancel/`, { key });
      expect(cancelled.status).toBe(200);
      expect(cancelled.json.data).toMatchObject({
        status: 'cancelled',
        was: 'preparing',
        cancelled_now: active,
        refunded_now: active * 10,
        progress: { cancelled: active, queued: 0 },
      });
      expect(await balanceOf(g, key)).toBe(100_000);
      expect(await stagedRows(g)).toBe(0);

      const poor = await g.newAccount(active * 10 - 1);
      const poorSegment = await segmentOf(g, poor.account.id, poor.key);
      const refused = await g.call('POST', '/v1/campaigns/', {
        key: poor.key,
        body: { ...body, segment_id: poorSegment },
      });
      expect(refused.json).toMatchObject({
        error_code: 'INSUFFICIENT_BALANCE',
        details: { required: active * 10 },
      });
      expect(await balanceOf(g, poor.key)).toBe(active * 10 - 1);
      expect(await stagedRows(g)).toBe(0);
      const poorMessages = (await g.call('GET', '/v1/sms/messages/?per_page=1', { key: poor.key })).json.data;
      expect(poorMessages.pagination.total).toBe(0);
    });
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn, manualClock } from '../../test/harness';
import { recordingSqlite } from '../../test/recording-sqlite';
import { migrateToLatest } from '../storage/migrations';
import { createStore, type Store } from '../storage/store';
import { csvTable } from '../testing/csv-table';
import { createExports, DELIVERY_REPORT_COLUMNS, LEDGER_COLUMNS } from './exports';

/** An operator name that is a spreadsheet formula, with a comma and quotes to quote. */
const FORMULA = '=HYPERLINK("http://x.example","open"),1';
const RANGE = { from: '2026-03-01', to: '2026-03-02' };

/** The whole text of a stream. */
const textOf = (body: ReadableStream<Uint8Array>) => new Response(body).text();
const silent = { error: () => {} };

describe.each(ENGINES)('CSV exports on %s', (_engine, open) => {
  const clock = manualClock(Date.parse('2026-02-28T20:00:00Z'));
  const gateway = gatewayOn(open, {
    clock,
    config: { operators: { '+2557100': FORMULA } },
    carrier: { fault: (m) => (m.to.endsWith('999') ? 'permanent' : null) },
  });
  const exportsOf = (
    options: { pageRows?: number; log?: { error: (m: string, e?: unknown) => void } } = {},
  ) => createExports({ store: createStore(gateway().database), log: silent, ...options });

  async function sendAt(key: string, at: string, recipients: string[]) {
    clock.advance(Date.parse(at) - clock.now());
    const r = await gateway().call('POST', '/v1/sms/send/', { key, body: { message: 'Habari', recipients } });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    clock.advance(1000); // submitted (or refunded) a second later
    await gateway().dispatchAndSettle();
    return r.json.data.message_id as string;
  }

  it('writes one row per recipient, oldest first, as the delivery reports say, with local times, quoting and formulas made text', async () => {
    const { key, account } = await gateway().newAccount(1000);
    await sendAt(key, '2026-02-28T20:59:59.999Z', ['+255754000001']); // 28 February in Dar es Salaam
    const first = await sendAt(key, '2026-02-28T21:00:00Z', ['+255754000002', '+255784000999']);
    const second = await sendAt(key, '2026-03-02T12:00:00Z', ['+255710000003']);
    await sendAt(key, '2026-03-02T21:00:00Z', ['+255754000004']); // 3 March

    const file = await exportsOf().deliveryReports(account.id, RANGE);
    expect(file.filename).toBe('delivery-reports_2026-03-01_2026-03-02.csv');
    const text = await textOf(file.body);
    expect(text.startsWith(`${Object.keys(DELIVERY_REPORT_COLUMNS).join(',')}\r\n`)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).toContain(`"'=HYPERLINK(""http://x.example"",""open""),1"`);
    // Oldest first; a message's recipients (created together) in the order of their ids.
    const rows = csvTable(text);
    expect(rows.map((r) => [r.message_id, r.recipient, r.operator, r.status]).sort()).toEqual([
      [first, '+255754000002', 'vodacom', 'delivered'],
      [first, '+255784000999', 'airtel', 'failed'],
      [second, '+255710000003', `'${FORMULA}`, 'delivered'],
    ]);

    const json = (await gateway().call('GET', '/v1/sms/delivery-reports/?start_date=2026-02-28', { key }))
      .json.data.reports;
    const time = (csv: string | undefined) => (csv ? Date.parse(csv) : null);
    for (const row of rows) {
      const report = json.find(
        (r: { message_id: string; phone: string }) =>
          r.message_id === row.message_id && r.phone === row.recipient,
      );
      expect({
        campaign_id: row.campaign_id || null,
        status: row.status,
        error_code: row.error_code || null,
        error_message: row.error_message || null,
        sender_id: row.sender_id,
        segments: Number(row.segments),
        cost: Number(row.cost),
        currency: row.currency,
        created_at: time(row.created_at),
        sent_at: time(row.sent_at),
        delivered_at: time(row.delivered_at),
        failed_at: time(row.failed_at),
        expired_at: time(row.expired_at),
      }).toEqual({
        campaign_id: report.campaign_id,
        status: report.status,
        error_code: report.error?.code ?? null,
        error_message: report.error?.message ?? null,
        sender_id: report.sender_id,
        segments: report.segments,
        cost: report.cost,
        currency: report.currency,
        created_at: Date.parse(report.created_at),
        sent_at: time(report.sent_at ?? ''),
        delivered_at: time(report.delivery_time ?? ''),
        failed_at: time(report.failed_at ?? ''),
        expired_at: time(report.expired_at ?? ''),
      });
      // (The fake carrier reports deliveries at the real time, not the test's clock.)
      for (const at of [row.created_at, row.sent_at, row.failed_at].filter(Boolean))
        expect(at).toMatch(/^2026-03-0[12]T\d\d:\d\d:\d\d\.\d{3}\+03:00$/);
    }
    expect(rows.map((r) => r.created_at)).toEqual([
      '2026-03-01T00:00:00.000+03:00',
      '2026-03-01T00:00:00.000+03:00',
      '2026-03-02T15:00:00.000+03:00',
    ]);
    expect(rows.find((r) => r.status === 'failed')).toMatchObject({
      error_code: 'FAKE_REJECTED',
      failed_at: '2026-03-01T00:00:01.000+03:00',
      sent_at: '',
      cost: '10',
    });

    // In UTC the first send is on 28 February, and the last on 2 March.
    const utc = csvTable(
      await textOf((await exportsOf().deliveryReports(account.id, { ...RANGE, time_zone: 'UTC' })).body),
    );
    expect(utc.map((r) => [r.recipient, r.created_at])).toEqual([
      ['+255710000003', '2026-03-02T12:00:00.000+00:00'],
      ['+255754000004', '2026-03-02T21:00:00.000+00:00'],
    ]);
  });

  it('writes the ledger, oldest first, each entry with the balance it left', async () => {
    clock.advance(Date.parse('2026-03-05T09:00:00Z') - clock.now());
    const { key, account } = await gateway().newAccount(100);
    const sent = await sendAt(key, '2026-03-05T10:00:00Z', ['+255754000011', '+255754000999']);
    clock.advance(Date.parse('2026-03-05T10:30:00Z') - clock.now());
    await gateway().mifumo.admin.topUp(account.id, 50.5);
    const file = await exportsOf().ledger(account.id, { from: '2026-03-05', to: '2026-03-05' });
    expect(file.filename).toBe('ledger_2026-03-05_2026-03-05.csv');
    const rows = csvTable(await textOf(file.body));
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(LEDGER_COLUMNS));
    const stored = await gateway()
      .database.db.selectFrom('ledger_entries')
      .select('id')
      .where('account_id', '=', account.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const refunded = await gateway()
      .database.db.selectFrom('recipients')
      .select('id')
      .where('message_id', '=', sent)
      .where('status', '=', 'failed')
      .executeTakeFirstOrThrow();
    expect(rows.map((r) => [r.entry_id, r.kind, r.amount, r.balance_after, r.currency, r.reference])).toEqual(
      [
        [stored[0]!.id, 'initial', '100', '100', 'TZS', account.id],
        [stored[1]!.id, 'send', '-20', '80', 'TZS', sent],
        [stored[2]!.id, 'refund', '10', '90', 'TZS', refunded.id],
        [stored[3]!.id, 'topup', '50.5', '140.5', 'TZS', ''],
      ],
    );
    expect(rows.map((r) => r.created_at)).toEqual([
      '2026-03-05T12:00:00.000+03:00',
      '2026-03-05T13:00:00.000+03:00',
      '2026-03-05T13:00:01.000+03:00',
      '2026-03-05T13:30:00.000+03:00',
    ]);
  });

  it('refuses before the first byte when the first page cannot be read, and errors the stream (logged) when a later one cannot', async () => {
    const { key, account } = await gateway().newAccount(100);
    await sendAt(key, '2026-03-06T10:00:00Z', ['+255754000021']);
    await sendAt(key, '2026-03-06T11:00:00Z', ['+255754000022']); // three ledger entries: two pages of two
    const { db } = gateway().database;
    const logged: string[] = [];
    const exports = exportsOf({ pageRows: 2, log: { error: (message) => logged.push(message) } });
    const day = { from: '2026-03-06', to: '2026-03-06' };
    const hide = () => db.schema.alterTable('ledger_entries').renameTo('ledger_hidden').execute();
    const restore = () => db.schema.alterTable('ledger_hidden').renameTo('ledger_entries').execute();

    await hide();
    try {
      await expect(exports.ledger(account.id, day)).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(logged).toEqual([]); // the route answers it as an error, before any byte

    const reader = (await exports.ledger(account.id, day)).body.getReader();
    const start = new TextDecoder().decode((await reader.read()).value);
    expect(start.split('\r\n')).toHaveLength(4); // the header, two entries, and the end of the last line
    await hide();
    try {
      await expect(reader.read()).rejects.toThrow();
    } finally {
      await restore();
    }
    expect(logged).toEqual([`The ledger export of ${account.id} failed after it started`]);
  });
});

describe('a large export', () => {
  it('streams 25,000 recipients in pages of 1,000, each read only when the reader wants more', async () => {
    const recording = recordingSqlite();
    await migrateToLatest(recording.storage.db);
    const store: Store = createStore(recording.storage);
    const { db } = store;
    const at = (ms: number) => new Date(ms).toISOString();
    const start = Date.parse('2025-01-01T00:00:00Z');
    await db
      .insertInto('accounts')
      .values({
        id: 'acc_big',
        name: 'Big',
        balance: 0,
        currency: 'TZS',
        created_at: at(start),
        updated_at: at(start),
      })
      .execute();
    // 40 messages of 625 recipients, a message every 9 days: pages of 1,000 end inside a message's rows,
    // whose creation times are all the same, so each page resumes from its last id.
    for (let m = 0; m < 40; m++) {
      const created = at(start + m * 9 * 86_400_000 + 3_600_000);
      const messageId = `msg_${String(m).padStart(2, '0')}`;
      await db
        .insertInto('messages')
        .values({
          id: messageId,
          account_id: 'acc_big',
          sender_id: 'MIFUMO',
          body: 'Habari',
          encoding: 'GSM-7',
          segments: 1,
          national_language: null,
          cost: 625_000,
          currency: 'TZS',
          recipient_count: 625,
          schedule_time: null,
          webhook_url: null,
          traffic_class: 'transactional',
          created_at: created,
        })
        .execute();
      for (let chunk = 0; chunk < 625; chunk += 125)
        await db
          .insertInto('recipients')
          .values(
            Array.from({ length: 125 }, (_, i) => ({
              id: `rcp_${messageId}_${String(chunk + i).padStart(3, '0')}`,
              message_id: messageId,
              account_id: 'acc_big',
              phone: `+25575${String(m * 625 + chunk + i).padStart(7, '0')}`,
              operator: 'vodacom',
              cost: 1000,
              status: 'delivered' as const,
              next_attempt_at: created,
              created_at: created,
              updated_at: created,
            })),
          )
          .execute();
    }
    const pages = () => recording.runs.filter((r) => /from "recipients"/.test(r.sql));
    const before = pages().length;
    const read = () => pages().slice(before);

    const file = await createExports({ store, log: silent }).deliveryReports('acc_big', {
      from: '2025-01-01',
      to: '2025-12-31',
    });
    expect(read()).toHaveLength(1); // the first page, read before the answer starts
    const reader = file.body.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value, { stream: true });
    expect(read()).toHaveLength(1);
    text += decoder.decode((await reader.read()).value, { stream: true });
    expect(read()).toHaveLength(2); // the next page only once the reader asked for it
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += decoder.decode(chunk.value, { stream: true });

    expect(read().map((r) => r.rows)).toEqual([...Array(25).fill(1000), 0]);
    // Each page after the first seeks to the row after the last one written, not to the range's start.
    expect(recording.plan(read()[1]!.sql)[0]).toMatch(
      /^SEARCH r USING INDEX recipients_account_created_id \(account_id=\? AND \(created_at,id\)>\(\?,\?\) AND created_at<\?\)$/,
    );
    const rows = csvTable(text);
    expect(rows).toHaveLength(25_000);
    const phones = rows.map((r) => r.recipient);
    expect(new Set(phones).size).toBe(25_000);
    expect(phones).toEqual([...phones].sort());
    expect(rows[0]!.created_at).toBe('2025-01-01T04:00:00.000+03:00');
    await recording.storage.close();
  });
});

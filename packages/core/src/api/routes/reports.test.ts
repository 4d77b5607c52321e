import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, manualClock } from '../../../test/harness';
import { csvTable } from '../../testing/csv-table';

const DAY = '2026-03-01';

describe.each(ENGINES)('usage and exports over HTTP on %s', (_engine, open) => {
  const gateway = gatewayOn(open, { clock: manualClock(Date.parse(`${DAY}T09:00:00Z`)) });

  /** A GET whose answer is read as text (a CSV file, or the error envelope). */
  async function download(path: string, key: string) {
    const res = await gateway().mifumo.app.request(path, { headers: { Authorization: `Bearer ${key}` } });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  it('answers usage and the exports to a read key, each account its own', async () => {
    const g = gateway();
    const { key } = await g.newAccount(100);
    const sent = await g.call('POST', '/v1/sms/send/', {
      key,
      body: { message: 'Habari', recipients: ['+255754000111', '+255784000222'] },
    });
    await g.dispatchAndSettle();
    const reader = (
      await g.call('POST', '/v1/keys/', { key, body: { name: 'reports', permissions: ['read'] } })
    ).json.data.key;
    const range = `from=${DAY}&to=${DAY}`;

    const usage = await g.call('GET', `/v1/usage/?${range}`, { key: reader });
    expect(usage.status).toBe(200);
    expect(usage.json).toMatchObject({
      success: true,
      message: 'Usage retrieved successfully',
      data: {
        time_zone: 'Africa/Dar_es_Salaam',
        currency: 'TZS',
        days: [{ date: DAY, messages: 1, recipients: 2, spend: 20, spend_minor: 2000 }],
        totals: { messages: 1, recipients: 2, segments: 2, delivered: 2, failed: 0, spend: 20 },
      },
    });
    expect(usage.json.data.operators.map((o: { operator: string }) => o.operator).sort()).toEqual([
      'airtel',
      'vodacom',
    ]);
    expect(
      (await g.call('GET', `/v1/usage?${range}&time_zone=utc`, { key: reader })).json.data.time_zone,
    ).toBe('UTC');

    const reports = await download(`/v1/exports/delivery-reports.csv?${range}`, reader);
    expect(reports.status).toBe(200);
    expect(reports.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(reports.headers.get('content-disposition')).toBe(
      `attachment; filename="delivery-reports_${DAY}_${DAY}.csv"`,
    );
    expect(reports.headers.get('cache-control')).toBe('no-store');
    expect(reports.headers.get('ratelimit-remaining')).not.toBeNull();
    expect(
      csvTable(reports.text)
        .map((r) => [r.message_id, r.recipient])
        .sort(),
    ).toEqual([
      [sent.json.data.message_id, '+255754000111'],
      [sent.json.data.message_id, '+255784000222'],
    ]);
    const ledger = await download(`/v1/exports/ledger.csv/?${range}`, reader);
    expect(csvTable(ledger.text).map((r) => [r.kind, r.amount, r.balance_after])).toEqual([
      ['initial', '100', '100'],
      ['send', '-20', '80'],
    ]);

    const other = await g.newAccount(50);
    expect(csvTable((await download(`/v1/exports/delivery-reports.csv?${range}`, other.key)).text)).toEqual(
      [],
    );
    expect((await g.call('GET', `/v1/usage/?${range}`, other)).json.data.totals.messages).toBe(0);
  });

  it.each([
    ['no range', '', 'from'],
    ['a date that does not exist', 'from=2026-02-30&to=2026-03-01', 'from'],
    ['a date-time', 'from=2026-03-01T00:00:00Z&to=2026-03-01', 'from'],
    ['to before from', 'from=2026-03-02&to=2026-03-01', 'to'],
    ['more than 366 days', 'from=2026-01-01&to=2027-01-02', 'to'],
    ['an unknown zone', 'from=2026-03-01&to=2026-03-01&time_zone=Mars/Olympus', 'time_zone'],
    ['an unknown parameter', 'from=2026-03-01&to=2026-03-01&status=sent', 'status'],
  ])('refuses %s in the JSON envelope, naming the field, on every route', async (_what, query, field) => {
    const { key } = gateway();
    for (const path of ['/v1/usage/', '/v1/exports/delivery-reports.csv', '/v1/exports/ledger.csv']) {
      const r = await download(`${path}?${query}`, key);
      expect(r.status, path).toBe(400);
      expect(r.headers.get('content-type'), path).toContain('application/json');
      const body = JSON.parse(r.text);
      expect(body, path).toMatchObject({ success: false, data: null, error_code: 'VALIDATION_ERROR' });
      expect(
        body.details.map((d: { field: string }) => d.field),
        path,
      ).toContain(field);
    }
  });

  it('refuses a key without read, and no key, in the envelope', async () => {
    const g = gateway();
    const writer = (await g.call('POST', '/v1/keys/', { body: { name: 'sender', permissions: ['write'] } }))
      .json.data.key;
    for (const path of ['/v1/usage/', '/v1/exports/delivery-reports.csv', '/v1/exports/ledger.csv']) {
      const denied = await download(`${path}?from=2026-03-01&to=2026-03-01`, writer);
      expect([denied.status, JSON.parse(denied.text).error_code], path).toEqual([403, 'PERMISSION_DENIED']);
      const anonymous = await g.call('GET', `${path}?from=2026-03-01&to=2026-03-01`, { key: null });
      expect([anonymous.status, anonymous.json.error_code], path).toEqual([401, 'INVALID_CREDENTIALS']);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { dashboardClient, errorBeside, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, manualClock, type TestGateway } from '../../../test/harness';

const HOUR = 3_600_000;

/** The figures of a usage table's row, as its cells say them. */
const row = (html: string, attribute: string) => {
  const tr = new RegExp(`<tr ${attribute}>([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...tr.matchAll(/<td class="num">([^<]*)<\/td>/g)].map((m) => m[1]);
};

/** What the API exports for the same range, in the same zone. */
async function apiExport(g: TestGateway, key: string, file: string, range: string) {
  const res = await g.mifumo.app.request(`/v1/exports/${file}?${range}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return { text: await res.text(), disposition: res.headers.get('content-disposition') };
}

describe.each(ENGINES)('the Usage page on %s', (_engine, open) => {
  const clock = manualClock(Date.UTC(2026, 2, 5, 7));
  const gateway = gatewayOn(open, { clock });

  it('shows a month of sends per day and operator in the account’s time zone, and exports them as the API does', async () => {
    const g = gateway();
    const { key } = await g.newAccount(1000);
    const send = (recipients: string[]) =>
      g.call('POST', '/v1/sms/send/', { key, body: { message: 'Habari za mwezi', recipients } });
    await send(['+255754100001', '+255684100002']); // 5 March, 10:00 in Dar es Salaam
    clock.advance(15 * 24 * HOUR + 2 * HOUR);
    await send(['+255754100003']); // 20 March
    clock.advance(Date.UTC(2026, 2, 31, 22, 30) - clock.now());
    await send(['+255654100004']); // 31 March 22:30 UTC: 1 April in Dar es Salaam
    clock.advance(Date.UTC(2026, 3, 2, 8) - clock.now());
    await g.dispatchAndSettle();

    const browser = dashboardClient(g);
    await browser.signIn(key);
    // This month by default, in the account's zone: 1 April has the message sent late on 31 March UTC.
    const now = await browser.get('/dashboard/usage/');
    expect(now.status).toBe(200);
    expect(now.text).toContain('data-range="2026-04-01/2026-04-02"');
    expect(row(now.text, 'data-day="2026-04-01"').slice(0, 3)).toEqual(['1', '1', '1']);
    expect(now.text).toContain(
      'href="/api/integration/dashboard/usage/?from=2026-03-01&amp;to=2026-03-31">Last month',
    );
    expect(now.text).toContain('?from=2026-03-27&amp;to=2026-04-02">Last 7 days');

    const march = await browser.get('/dashboard/usage/?from=2026-03-01&to=2026-03-31');
    expect(march.status).toBe(200);
    expect(fieldValue(march.text, 'from')).toBe('2026-03-01');
    expect(march.text).toContain('aria-current="true">Last month');
    expect(row(march.text, 'data-day="2026-03-05"')).toEqual(['1', '2', '2', '2', '0', 'TZS\u00a020.00']);
    expect(row(march.text, 'data-day="2026-03-20"')).toEqual(['1', '1', '1', '1', '0', 'TZS\u00a010.00']);
    expect(row(march.text, 'data-day="2026-03-31"')).toEqual(['0', '0', '0', '0', '0', 'TZS\u00a00.00']);
    expect(row(march.text, 'data-operator="vodacom"').slice(0, 2)).toEqual(['2', '2']);
    expect(row(march.text, 'data-operator="airtel"').slice(0, 2)).toEqual(['1', '1']);
    expect(row(march.text, 'class="total" data-total=""')).toEqual([
      '2',
      '3',
      '3',
      '3',
      '0',
      'TZS\u00a030.00',
    ]);
    expect(march.text).toMatch(/<svg class="chart"[^>]*data-total="3"/);
    expect(march.text).toContain('Day (Africa/Dar_es_Salaam)');

    // The CSV files of the range: the API's bytes and file names, times in the account's zone.
    const range = 'from=2026-03-01&to=2026-03-31';
    for (const file of ['delivery-reports.csv', 'ledger.csv']) {
      const csv = await browser.get(`/dashboard/usage/${file}?${range}`);
      const api = await apiExport(g, key, file, `${range}&time_zone=Africa/Dar_es_Salaam`);
      expect(csv.status, file).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(api.disposition);
      expect(csv.text, file).toBe(api.text);
    }
    const reports = (await browser.get(`/dashboard/usage/delivery-reports.csv?${range}`)).text
      .trim()
      .split('\n');
    expect(reports).toHaveLength(4);
    expect(reports[1]).toContain('+255754100001');
    expect(reports[1]).toContain(',2026-03-05T10:00:00.000+03:00,');

    // Another account sees none of it.
    const other = dashboardClient(g);
    await other.signIn((await g.newAccount(100)).key);
    const theirs = await other.get(`/dashboard/usage/?${range}`);
    expect(row(theirs.text, 'class="total" data-total=""')).toEqual([
      '0',
      '0',
      '0',
      '0',
      '0',
      'TZS\u00a00.00',
    ]);
    expect(
      (await other.get(`/dashboard/usage/delivery-reports.csv?${range}`)).text.trim().split('\n'),
    ).toHaveLength(1);

    // In UTC, the account's own time zone now, the last message is March's.
    await browser.get('/dashboard/settings/');
    const settings = { language: '', time_zone: 'UTC', url: '', quiet_hours: 'default', opt_out_footer: '' };
    expect((await browser.post('/dashboard/settings', settings)).status).toBe(303);
    const utc = await browser.get(`/dashboard/usage/?${range}`);
    expect(row(utc.text, 'data-day="2026-03-31"').slice(0, 2)).toEqual(['1', '1']);
    expect(row(utc.text, 'class="total" data-total=""').slice(0, 2)).toEqual(['3', '4']);
  });

  it('refuses a range beside its field, keeping what was typed, for the page and its downloads', async () => {
    const g = gateway();
    const browser = dashboardClient(g);
    await browser.signIn((await g.newAccount(100)).key);
    const backwards = await browser.get('/dashboard/usage/?from=2026-03-31&to=2026-03-01');
    expect(backwards.status).toBe(400);
    expect(errorBeside(backwards.text, 'to')).toBe('must not be before from');
    expect(fieldValue(backwards.text, 'from')).toBe('2026-03-31');
    expect(fieldValue(backwards.text, 'to')).toBe('2026-03-01');
    const csv = await browser.get('/dashboard/usage/ledger.csv?from=2026-02-30&to=2026-03-01');
    expect(csv.status).toBe(400);
    expect(csv.headers.get('content-type')).toContain('text/html');
    expect(errorBeside(csv.text, 'from')).toBe('must be a date YYYY-MM-DD that exists');
    const long = await browser.get('/dashboard/usage/?from=2025-01-01&to=2026-03-01');
    expect(long.status).toBe(400);
    expect(errorBeside(long.text, 'to')).toMatch(/366 days/);
    const unknown = await browser.get('/dashboard/usage/?from=2026-03-01&time_zone=UTC');
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('time_zone');
  });
});

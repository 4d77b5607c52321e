import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dashboardInChromium } from '../test/dashboard-browser';
import { ROOT } from '../test/process';

const ADMIN = 'mk_live_senderusagebrowser0123456789abcdef012345';
const DAY = 86_400_000;

/**
 * The gateway's time: the real time, then moved forward over the next calendar month (never back: the
 * session cookie expires by the gateway's clock, the browser reads it by the real one).
 */
let at: number | null = null;
const clock = { now: () => at ?? Date.now() };
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const today = new Date();
/** The first instants (UTC) of the month after the real one, and of the month after that. */
const MONTH = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1);
const NEXT_MONTH = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 2, 1);
const FROM = dayOf(MONTH);
const TO = dayOf(NEXT_MONTH - DAY);

/** The sends of that month: one a week, each to an operator's number, with the sender ID approved. */
const SENDS = [
  { day: 2, to: '+255754300001', operator: 'vodacom' },
  { day: 9, to: '+255684300002', operator: 'airtel' },
  { day: 16, to: '+255654300003', operator: 'yas' },
  { day: 23, to: '+255754300004', operator: 'vodacom' },
  { day: 28, to: '+255754300005', operator: 'vodacom' },
].map((s) => ({ ...s, day: `${FROM.slice(0, 8)}${String(s.day).padStart(2, '0')}` }));
const sent: { message_id: string; to: string; day: string; operator: string }[] = [];

let ui: Awaited<ReturnType<typeof dashboardInChromium>>;

beforeAll(async () => {
  ui = await dashboardInChromium(ADMIN, { clock });
  ui.page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(() => ui?.close());

/** The built `mifumo` CLI, on the gateway's own database. */
async function mifumo(...argv: string[]) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(ROOT, 'packages/runtime-node/bin/mifumo.js'), ...argv],
    { env: { PATH: process.env.PATH, DATABASE_URL: ui.databaseUrl }, cwd: ROOT },
  );
  return stdout;
}

/** RFC 4180 records (a quoted field may hold commas, quotes and line breaks). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch !== '"') field += ch;
      else if (text[i + 1] === '"') field += text[++i];
      else quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      rows.push([...row, field.replace(/\r$/, '')]);
      row = [];
      field = '';
    } else field += ch;
  }
  return rows;
}

/** Signs in (filling the key field: keys typed before a loaded page has focused it would go nowhere). */
async function signIn() {
  await ui.page.goto(`${ui.dashboard}/sign-in`);
  await ui.page.getByLabel('Admin API key').fill(ADMIN);
  await ui.page.getByRole('button', { name: 'Sign in' }).click();
  await ui.page.waitForURL(`${ui.dashboard}/`);
}

it('requests a sender ID on its page, sees the operator approve it with the CLI, and sends with it', async () => {
  const { page, shot, api } = ui;
  await signIn();
  await page.getByRole('link', { name: 'Sender IDs' }).click();

  await page.getByLabel('Sender ID').fill('DUKA LA ASHA!');
  await page.getByLabel('Note for the gateway’s operator (optional)').fill('Duka la Asha, Arusha');
  await page.getByRole('button', { name: 'Request' }).click();
  await expect(page.locator('#s-name-error').textContent()).resolves.toMatch(/1-11 letters/);
  await expect(page.getByLabel('Sender ID').inputValue()).resolves.toBe('DUKA LA ASHA!');
  await expect(page.getByLabel(/Note for/).inputValue()).resolves.toBe('Duka la Asha, Arusha');

  await page.getByLabel('Sender ID').fill('DUKA');
  await page.getByLabel('What it sends').selectOption('transactional');
  await page.getByRole('button', { name: 'Request' }).click();
  await expect(page.getByRole('status').textContent()).resolves.toContain('Sender ID requested');
  const row = page.locator('tr[data-sender-id="DUKA"]');
  await expect(row.getAttribute('data-status')).resolves.toBe('pending');
  await expect(row.locator('li[data-status="pending"]').count()).resolves.toBe(5);
  await shot('20-sender-id-requested');
  const early = await api('/v1/sms/send/', ADMIN, {
    method: 'POST',
    body: JSON.stringify({ message: 'Karibu', recipients: [SENDS[0]!.to], sender_id: 'DUKA' }),
  });
  expect(early.status).toBe(400);

  await mifumo('sender-ids', 'approve', 'DUKA', '--account', ui.gw.bootstrapped!.account.id);
  await page.reload();
  await expect(row.getAttribute('data-status')).resolves.toBe('approved');
  await expect(row.locator('li[data-status="approved"]').count()).resolves.toBe(5);
  await shot('21-sender-id-approved');
  await page.getByRole('link', { name: 'Activity' }).click();
  await expect(page.locator('tr[data-action="sender_id.requested"]').textContent()).resolves.toContain(
    'Sender ID DUKA requested, for transactional messages.',
  );

  for (const s of SENDS) {
    at = Date.parse(`${s.day}T07:00:00Z`);
    const res = await api('/v1/sms/send/', ADMIN, {
      method: 'POST',
      body: JSON.stringify({ message: `Habari ya ${s.day}`, recipients: [s.to], sender_id: 'DUKA' }),
    });
    expect(res.status, s.day).toBe(200);
    sent.push({ ...s, message_id: (await res.json()).data.message_id });
  }
});

it('shows the month on the Usage page and exports its delivery reports as CSV', async () => {
  const { page, dashboard, shot } = ui;
  // Two days into the month after: the session has expired by the gateway's clock.
  at = NEXT_MONTH + 2 * DAY + 7 * 3_600_000;
  await signIn();
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page.locator('[data-range]').getAttribute('data-range')).resolves.toBe(
    `${dayOf(NEXT_MONTH)}/${dayOf(at)}`,
  );
  await page.getByLabel('From').fill(FROM);
  await page.getByLabel('To (included)').fill(TO);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.waitForURL(`${dashboard}/usage/?from=${FROM}&to=${TO}`);
  await expect(page.getByRole('link', { name: 'Last month' }).getAttribute('aria-current')).resolves.toBe(
    'true',
  );
  const total = page.locator('tr.total').first().locator('td');
  await expect(total.nth(0).textContent()).resolves.toBe('5');
  await expect(page.locator('svg.chart').getAttribute('data-total')).resolves.toBe('5');
  for (const s of SENDS)
    await expect(page.locator(`tr[data-day="${s.day}"] td`).nth(1).textContent(), s.day).resolves.toBe('1');
  await expect(page.locator('tr[data-operator="vodacom"] td').nth(2).textContent()).resolves.toBe('3');
  await shot('22-usage-month');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: /Delivery reports/ }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`delivery-reports_${FROM}_${TO}.csv`);
  const [header, ...rows] = csvRows(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''));
  const column = (name: string) => header!.indexOf(name);
  expect(
    rows.map((r) => ({
      message_id: r[column('message_id')],
      to: r[column('recipient')],
      operator: r[column('operator')],
      sender: r[column('sender_id')],
      created: r[column('created_at')],
    })),
  ).toEqual(
    sent.map((s) => ({
      message_id: s.message_id,
      to: s.to,
      operator: s.operator,
      sender: 'DUKA',
      created: `${s.day}T10:00:00.000+03:00`,
    })),
  );
});

it('fits both pages at 1,280 px and at 375 px wide, in both languages', () =>
  ui.fitsEveryWidth({ 'sender-ids': '/sender-ids/', usage: `/usage/?from=${FROM}&to=${TO}` }, '23'));

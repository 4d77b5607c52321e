import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdmin } from '@mifumo/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../database';
import { runCli } from './run';

let env: NodeJS.ProcessEnv;
beforeEach(() => {
  env = { DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-cli-')), 'cli.db')}` };
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) });
  const text = out.join('\n');
  return {
    code,
    out: text,
    err: err.join('\n'),
    json: argv.includes('--json') && code === 0 ? JSON.parse(text) : null,
  };
}

it('manages accounts, keys and sender IDs, with --json', async () => {
  const acc = await cli('accounts', 'create', '--name', 'Duka', '--balance', '250.5', '--json');
  expect(acc.code).toBe(0);
  expect(acc.json).toMatchObject({ name: 'Duka', balance: 250.5, currency: 'TZS' });
  const id = acc.json.id;

  expect((await cli('accounts', 'topup', id, '100', '--json')).json.balance).toBe(350.5);
  expect((await cli('accounts', 'list')).out).toContain(`${id}\t350.5 TZS\tDuka`);

  const key = await cli(
    'keys',
    'create',
    '--account',
    id,
    '--permissions',
    'read',
    '--name',
    'reports',
    '--json',
  );
  expect(key.json).toMatchObject({ account_id: id, permissions: ['read'], name: 'reports' });
  expect(key.json.key).toMatch(/^mk_live_/);
  const listed = await cli('keys', 'list', '--account', id, '--json');
  expect(listed.json).toHaveLength(1);
  expect(JSON.stringify(listed.json)).not.toContain(key.json.key);
  expect((await cli('keys', 'revoke', key.json.id)).out).toBe(`Revoked ${key.json.id}`);
  // What the CLI changed is in the account's audit log, by `cli`.
  const database = openDatabase(env.DATABASE_URL!);
  const logged = await database.db
    .selectFrom('activity_log')
    .select(['actor', 'action', 'subject'])
    .where('account_id', '=', id)
    .orderBy('created_at')
    .execute();
  await database.close();
  expect(logged).toEqual([
    { actor: 'cli', action: 'key.created', subject: key.json.id },
    { actor: 'cli', action: 'key.revoked', subject: key.json.id },
  ]);
  expect((await cli('keys', 'list', '--json')).json[0].revoked_at).not.toBeNull();

  expect((await cli('accounts', 'set', id, '--smart-encoding', 'on', '--json')).json.smart_encoding).toBe(
    true,
  );
  expect(
    (await cli('accounts', 'set', id, '--smart-encoding', 'default', '--json')).json.smart_encoding,
  ).toBeNull();
  expect((await cli('accounts', 'set', id, '--smart-encoding', 'maybe')).code).toBe(2);
  const limited = await cli(
    'accounts',
    'set',
    id,
    '--sms-per-minute',
    '250',
    '--api-calls-per-hour',
    '5000',
    '--json',
  );
  expect(limited.json).toMatchObject({
    sms_per_minute: 250,
    api_calls_per_hour: 5000,
    contact_ops_per_hour: null,
  });
  expect(
    (await cli('accounts', 'set', id, '--sms-per-minute', 'default', '--json')).json.sms_per_minute,
  ).toBeNull();
  expect((await cli('accounts', 'set', id, '--sms-per-minute', '0')).code).toBe(1);
  expect((await cli('accounts', 'set', id)).code).toBe(2);

  expect((await cli('sender-ids', 'add', id, 'DUKA', '--json')).json.sender_ids).toEqual(['DUKA']);
  expect((await cli('sender-ids', 'list', id)).out).toBe(
    'DUKA\tapproved\tairtel approved, halotel approved, ttcl approved, vodacom approved, yas approved\nMIFUMO (gateway-wide)\tapproved',
  );
});

it('lists the gateway-wide sender IDs an account may use alongside its own, marked as such', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-cli-config-'));
  env.MIFUMO_CONFIG = join(dir, 'mifumo.json');
  writeFileSync(env.MIFUMO_CONFIG, JSON.stringify({ senderIds: ['MIFUMO', 'HUDUMA'] }));
  const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
  expect((await cli('sender-ids', 'list', id)).out).toBe(
    'MIFUMO (gateway-wide)\tapproved\nHUDUMA (gateway-wide)\tapproved',
  );
  const added = await cli('sender-ids', 'add', id, 'DUKA');
  expect(added.out).toBe(`${id} may send as: DUKA, MIFUMO (gateway-wide), HUDUMA (gateway-wide)`);
  await cli('sender-ids', 'add', id, 'MIFUMO');
  expect((await cli('sender-ids', 'list', id)).out.split('\n').map((l) => l.split('\t')[0])).toEqual([
    'DUKA',
    'MIFUMO (gateway-wide)',
    'HUDUMA (gateway-wide)',
  ]);
  const listed = (await cli('sender-ids', 'list', id, '--json')).json;
  expect(listed).toMatchObject({
    account_id: id,
    sender_ids: ['DUKA'],
    gateway_sender_ids: ['MIFUMO', 'HUDUMA'],
  });
  expect(
    listed.states.map((s: { sender_id: string; gateway_wide: boolean }) => [s.sender_id, s.gateway_wide]),
  ).toEqual([
    ['DUKA', false],
    ['MIFUMO', true],
    ['HUDUMA', true],
  ]);
});

it('approves and rejects an account’s sender ID per operator on the database, logged as the CLI’s', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-cli-config-'));
  env.MIFUMO_CONFIG = join(dir, 'mifumo.json');
  // The configuration's operators are the ones the gateway knows: smile carved out of Vodacom's 75.
  writeFileSync(env.MIFUMO_CONFIG, JSON.stringify({ operators: { '+2557544': 'smile' } }));
  const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
  // The account asks for it (as its API does), on the same database.
  const database = openDatabase(env.DATABASE_URL!);
  try {
    await createAdmin({ storage: database, currency: 'TZS' }).requestSenderId(
      id,
      { sender_id: 'DUKA', use: 'promotional' },
      { gatewayWide: ['MIFUMO'], operators: ['vodacom'] },
    );
  } finally {
    await database.close();
  }
  const approved = await cli(
    'sender-ids',
    'approve',
    'DUKA',
    '--account',
    id,
    '--operators',
    'smile,vodacom',
  );
  expect([approved.code, approved.out.split('\n')[0]]).toEqual([
    0,
    `DUKA of ${id}: approved for smile, vodacom`,
  ]);
  const rejected = await cli(
    'sender-ids',
    'reject',
    'DUKA',
    '--account',
    id,
    '--reason',
    'Not registered',
    '--operators',
    'airtel',
    '--json',
  );
  expect(rejected.json).toMatchObject({ sender_id: 'DUKA', status: 'partial', use: 'promotional' });
  expect((await cli('sender-ids', 'list', id)).out.split('\n')[0]).toBe(
    'DUKA\tpartial\tairtel rejected (Not registered), halotel pending, smile approved, ttcl pending, vodacom approved, yas pending',
  );
  const unknown = await cli('sender-ids', 'approve', 'DUKA', '--account', id, '--operators', 'tigo');
  expect([unknown.code, unknown.err]).toEqual([1, expect.stringContaining('tigo')]);
  expect((await cli('sender-ids', 'reject', 'DUKA', '--account', id)).code).toBe(2);
  expect((await cli('sender-ids', 'approve', 'DUKA')).code).toBe(2);
  expect((await cli('sender-ids', 'approve', 'NOPE', '--account', id)).code).toBe(1);
  const log = openDatabase(env.DATABASE_URL!);
  try {
    const actions = await log.db
      .selectFrom('activity_log')
      .select(['actor', 'action', 'subject'])
      .where('account_id', '=', id)
      .orderBy('action')
      .execute();
    expect(actions).toEqual([
      { actor: 'cli', action: 'sender_id.approved', subject: 'DUKA' },
      { actor: 'cli', action: 'sender_id.rejected', subject: 'DUKA' },
    ]);
  } finally {
    await log.close();
  }
});

it('rotates a key keeping its lifetime, or to the --expires-at given', async () => {
  const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString();
  const made = (await cli('keys', 'create', '--account', id, '--expires-at', expires, '--json')).json;
  const kept = (await cli('keys', 'rotate', made.id, '--json')).json;
  const lifetime = Date.parse(kept.expires_at) - Date.parse(kept.created_at);
  expect(lifetime).toBe(Date.parse(made.expires_at) - Date.parse(made.created_at));
  const given = (await cli('keys', 'rotate', kept.id, '--expires-at', '2099-01-01T00:00:00Z', '--json')).json;
  expect(given.expires_at).toBe('2099-01-01T00:00:00.000Z');
  expect((await cli('keys', 'rotate', given.id, '--expires-at', 'soon')).code).toBe(1);
});

it('refuses bad input with exit code 1 or 2 and a message', async () => {
  expect((await cli('bogus')).code).toBe(2);
  expect((await cli('accounts', 'create')).code).toBe(2);
  expect((await cli('accounts', 'topup', 'acc_nope', '10')).code).toBe(1);
  const bad = await cli('accounts', 'create', '--name', 'x', '--balance=-5');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('balance');
  const acc = await cli('accounts', 'create', '--name', 'x', '--json');
  expect((await cli('keys', 'create', '--account', acc.json.id, '--permissions', 'root')).code).toBe(1);
  expect((await cli('sender-ids', 'add', acc.json.id, 'WAY-TOO-LONG-ID')).code).toBe(1);
  expect((await cli('--help')).code).toBe(0);
});

it('manages an account’s webhooks with the key file the gateway uses, and refuses what it will not call', async () => {
  const id = (await cli('accounts', 'create', '--name', 'Hooks', '--json')).json.id;
  const shown = await cli('webhooks', 'show', id, '--json');
  expect(shown.json).toMatchObject({
    url: null,
    bearer_auth: true,
    signing_secret: expect.stringMatching(/^whsec_/),
  });
  // The secret was made beside the database, as `npm start` would have made it.
  const keyFile = join(env.DATABASE_URL!.slice('file:'.length), '..', 'mifumo.secret');
  expect(readFileSync(keyFile, 'utf8').trim()).toHaveLength(44);

  const set = await cli('webhooks', 'set', id, '--url', 'https://hooks.example.co.tz/sms', '--bearer', 'off');
  expect(set.code).toBe(0);
  expect(set.out).toContain(`${id}: webhook URL https://hooks.example.co.tz/sms, Bearer off`);
  expect((await cli('webhooks', 'show', id, '--json')).json.signing_secret).toBe(shown.json.signing_secret);

  const rotated = await cli('webhooks', 'rotate', id, '--grace-seconds', '60', '--json');
  expect(rotated.json.signing_secret).not.toBe(shown.json.signing_secret);
  expect(rotated.json.previous_secret_valid_until).not.toBeNull();

  const refused = await cli('webhooks', 'set', id, '--url', 'http://192.168.1.10/hook');
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('url: 192.168.1.10 is a private address');
  expect((await cli('webhooks', 'set', id, '--url', 'none', '--json')).json.url).toBeNull();
  expect((await cli('webhooks', 'set', id, '--bearer', 'maybe')).code).toBe(2);
  expect((await cli('webhooks', 'rotate', id, '--grace-seconds', '-1')).code).toBe(2);

  env.MIFUMO_SECRET = 'ab'.repeat(32); // another secret cannot open what the first one sealed
  const wrong = await cli('webhooks', 'show', id);
  expect(wrong.code).toBe(1);
  expect(wrong.err).toContain('does not open with this server secret (was MIFUMO_SECRET changed?)');
});

describe('compliance', () => {
  const lines = (text: string) => text.split('\n');

  it('shows the gateway’s settings, and sets an account’s own, logged as the CLI’s', async () => {
    const gateway = await cli('compliance', 'show');
    expect(gateway.code).toBe(0);
    expect(lines(gateway.out)).toEqual([
      'gateway: quiet hours 20:00-08:00 Africa/Dar_es_Salaam',
      'Opt-out footer: Kusitisha tuma {keyword} ACHA kwenda {number}',
      expect.stringMatching(/^Opt-out reply: Umeondolewa kwenye ujumbe wa \{sender\}/),
      expect.stringMatching(/^Opt-in reply: /),
      expect.stringMatching(/^Help reply: /),
      'Keywords: opt-out STOP,STOPALL,UNSUBSCRIBE,CANCEL,END,QUIT,ACHA,SITISHA,HAPO; opt-in START,ANZA,RUDI; help HELP,MSAADA',
      'Not paused',
    ]);
    const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
    const set = await cli(
      'compliance',
      'set',
      id,
      '--quiet-hours',
      '21:00-07:30',
      '--footer',
      'STOP? Tuma {keyword} ACHA kwa {number}',
      '--help-reply',
      'Msaada: {sender}',
    );
    expect(set.code, set.err).toBe(0);
    expect(lines(set.out).slice(0, 2)).toEqual([
      `${id}: quiet hours 21:00-07:30 Africa/Dar_es_Salaam (account)`,
      'Opt-out footer (account): STOP? Tuma {keyword} ACHA kwa {number}',
    ]);
    // --time-zone alone keeps the hours; default goes back to the gateway's.
    const zoned = await cli('compliance', 'set', id, '--time-zone', 'europe/london', '--json');
    expect(zoned.json.quietHours).toEqual({ start: '21:00', end: '07:30', timeZone: 'Europe/London' });
    expect(
      (await cli('compliance', 'set', id, '--quiet-hours', 'none', '--json')).json.quietHours,
    ).toBeNull();
    const reset = await cli(
      'compliance',
      'set',
      id,
      '--quiet-hours',
      'default',
      '--footer',
      'default',
      '--json',
    );
    expect(reset.json).toMatchObject({
      quietHours: { start: '20:00', end: '08:00', timeZone: 'Africa/Dar_es_Salaam' },
      overrides: ['helpReply'],
    });
    const shown = await cli('compliance', 'show', '--account', id);
    expect(lines(shown.out)[0]).toBe(`${id}: quiet hours 20:00-08:00 Africa/Dar_es_Salaam (gateway)`);
    expect(shown.out).toContain('Help reply (account): Msaada: {sender}');

    const database = openDatabase(env.DATABASE_URL!);
    const logged = await database.db
      .selectFrom('activity_log')
      .select(['actor', 'action', 'details'])
      .where('account_id', '=', id)
      .orderBy('created_at')
      .execute();
    await database.close();
    expect(logged.map((l) => [l.actor, l.action])).toEqual(
      Array(4).fill(['cli', 'compliance.settings_changed']),
    );
    expect(JSON.parse(logged[0]!.details!)).toEqual({
      quietHours: { start: '21:00', end: '07:30', timeZone: 'Africa/Dar_es_Salaam' },
      optOutFooter: 'STOP? Tuma {keyword} ACHA kwa {number}',
      helpReply: 'Msaada: {sender}',
    });
  });

  it('pauses and resumes promotional messages gateway-wide or for one account', async () => {
    const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
    const paused = await cli('compliance', 'pause', '--class', 'promotional', '--account', id, '--json');
    expect(paused.json).toMatchObject({ account_id: id, until: null, created_by: 'cli' });
    const until = '2099-12-24T08:00:00+03:00';
    const everyone = await cli('compliance', 'pause', '--class', 'promotional', '--until', until);
    expect(everyone.out).toMatch(
      /^Paused: promotional gateway-wide until 2099-12-24T05:00:00.000Z \(by cli at /,
    );
    const shown = await cli('compliance', 'show', '--account', id, '--json');
    expect(shown.json.pauses.map((p: { account_id: string | null }) => p.account_id)).toEqual([id, null]);
    expect((await cli('compliance', 'show')).out).toContain('Paused: promotional gateway-wide until 2099');

    expect((await cli('compliance', 'resume', '--class', 'promotional', '--account', id)).out).toBe(
      `Resumed promotional of ${id}`,
    );
    expect((await cli('compliance', 'resume', '--class', 'promotional', '--account', id)).out).toBe(
      `promotional of ${id} was not paused`,
    );
    expect((await cli('compliance', 'resume', '--class', 'promotional')).out).toBe(
      'Resumed promotional gateway-wide',
    );
    expect((await cli('compliance', 'show', '--json')).json.pauses).toEqual([]);

    const database = openDatabase(env.DATABASE_URL!);
    const logged = await database.db
      .selectFrom('activity_log')
      .select(['actor', 'action'])
      .where('account_id', '=', id)
      .orderBy('created_at')
      .execute();
    const kept = await database.db
      .selectFrom('compliance_pauses')
      .select(['account_id', 'resumed_by'])
      .execute();
    await database.close();
    expect(logged).toEqual([
      { actor: 'cli', action: 'compliance.paused' },
      { actor: 'cli', action: 'compliance.resumed' },
    ]);
    // Gateway-wide pauses are kept with who made and ended them.
    expect(kept).toEqual(
      expect.arrayContaining([
        { account_id: id, resumed_by: 'cli' },
        { account_id: null, resumed_by: 'cli' },
      ]),
    );
  });

  it('refuses bad input with one line naming it', async () => {
    const id = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
    const refused = async (code: number, message: string, ...argv: string[]) => {
      const r = await cli(...argv);
      expect([r.code, r.err.split('\n')[0]], argv.join(' ')).toEqual([
        code,
        expect.stringContaining(message),
      ]);
    };
    await refused(
      1,
      'No account acc_nope',
      'compliance',
      'pause',
      '--class',
      'promotional',
      '--account',
      'acc_nope',
    );
    await refused(1, 'No account acc_nope', 'compliance', 'set', 'acc_nope', '--quiet-hours', 'none');
    await refused(1, 'No account acc_nope', 'compliance', 'show', '--account', 'acc_nope');
    await refused(2, '--class must be promotional', 'compliance', 'pause', '--class', 'transactional');
    await refused(2, 'missing --class promotional', 'compliance', 'resume');
    await refused(
      1,
      '--until must be an ISO 8601 date-time with a UTC offset',
      'compliance',
      'pause',
      '--class',
      'promotional',
      '--until',
      '2099-01-01T08:00',
    );
    await refused(
      1,
      'until must be in the future',
      'compliance',
      'pause',
      '--class',
      'promotional',
      '--until',
      '2020-01-01T08:00:00Z',
    );
    await refused(
      1,
      'quiet_hours.end must be a 24-hour time',
      'compliance',
      'set',
      id,
      '--quiet-hours',
      '20:00-8am',
    );
    await refused(2, '--quiet-hours takes HH:MM-HH:MM', 'compliance', 'set', id, '--quiet-hours', '20:00');
    await refused(
      1,
      'quiet_hours.time_zone must be an IANA time zone',
      'compliance',
      'set',
      id,
      '--time-zone',
      'Dar',
    );
    await refused(
      1,
      'opt_out_footer must contain {number}',
      'compliance',
      'set',
      id,
      '--footer',
      'Tuma ACHA',
    );
    await refused(2, 'nothing to set', 'compliance', 'set', id);
    await cli('compliance', 'set', id, '--quiet-hours', 'none');
    await refused(1, '--time-zone needs --quiet-hours too', 'compliance', 'set', id, '--time-zone', 'UTC');
  });
});

it('adds, lists and removes numbers, refusing what is wrong, and lists inbound messages', async () => {
  const a = (await cli('accounts', 'create', '--name', 'Duka', '--json')).json.id;
  const b = (await cli('accounts', 'create', '--name', 'Shule', '--json')).json.id;
  const added = await cli(
    'numbers',
    'add',
    '--account',
    a,
    '--number',
    '15678',
    '--keyword',
    'duka',
    '--json',
  );
  expect(added.code).toBe(0);
  expect(added.json).toMatchObject({ account_id: a, number: '15678', keyword: 'DUKA', carrier_id: null });
  const plain = await cli('numbers', 'add', '--account', b, '--number', '0754999000', '--carrier', 'dev');
  expect(plain.out).toMatch(/^Added num_\w+\t\+255754999000\t\(no keyword\)\t.+\tdev\t\(account webhook\)$/);

  const taken = await cli('numbers', 'add', '--account', b, '--number', '15678', '--keyword', 'DÚKA');
  expect([taken.code, taken.err]).toEqual([
    1,
    `error: 15678 with keyword DUKA is already held by account ${a} {"reason":"number_taken","number":"15678","keyword":"DUKA","account_id":"${a}"}`,
  ]);
  for (const [args, message] of [
    [['--account', 'acc_nobody', '--number', '15000'], 'error: No account acc_nobody'],
    [
      ['--account', a, '--number', '15000', '--carrier', 'nope'],
      'error: carrier "nope" is not a configured carrier (dev)',
    ],
    [
      ['--account', a, '--number', '1a'],
      'error: number "1a" is neither a short code (3-8 digits) nor a phone number',
    ],
    [
      ['--account', a, '--number', '15000', '--keyword', 'two words'],
      'error: keyword "two words" must be one word',
    ],
    [
      ['--account', a, '--number', '15000', '--webhook-url', 'http://127.0.0.1/x'],
      'error: webhook_url: 127.0.0.1',
    ],
  ] as const) {
    const refused = await cli('numbers', 'add', ...args);
    expect(refused.code, message).toBe(1);
    expect(refused.err).toContain(message);
  }
  expect((await cli('numbers', 'add', '--account', a)).code).toBe(2); // no --number

  expect((await cli('numbers', 'list', '--json')).json.map((n: { number: string }) => n.number)).toEqual([
    '+255754999000',
    '15678',
  ]);
  expect((await cli('numbers', 'list', '--account', a, '--json')).json).toHaveLength(1);
  expect((await cli('numbers', 'remove', '15678')).err).toBe('error: No number 15678');
  expect((await cli('numbers', 'remove', '15678', '--keyword', 'Duka')).out).toMatch(/^Removed num_/);
  expect((await cli('numbers', 'list', '--account', a, '--json')).json).toEqual([]);

  const database = openDatabase(env.DATABASE_URL!);
  const logged = await database.db
    .selectFrom('activity_log')
    .select(['actor', 'action', 'subject'])
    .where('account_id', '=', a)
    .orderBy('created_at')
    .execute();
  // Messages as carriers stored them: one of b's number, one to no number.
  const row = (id: string, to: string, account: string | null) => ({
    id,
    carrier_id: 'dev',
    carrier_message_id: null,
    sender: '+255754000111',
    recipient: to,
    body: `to ${to}`,
    received_at: `2026-05-0${id.at(-1)}T09:00:00.000Z`,
    created_at: '2026-05-01T09:00:00.000Z',
    account_id: account,
  });
  await database.db
    .insertInto('inbound_messages')
    .values([row('in_1', '+255754999000', b), row('in_2', '11111', null)])
    .execute();
  await database.close();
  expect(logged).toEqual([
    { actor: 'cli', action: 'number.added', subject: added.json.id },
    { actor: 'cli', action: 'number.removed', subject: added.json.id },
  ]);
  expect((await cli('inbound', 'list')).out.split('\n')).toEqual([
    `2026-05-02T09:00:00.000Z\tin_2\t+255754000111 -> 11111\t(unassigned)\t"to 11111"`,
    `2026-05-01T09:00:00.000Z\tin_1\t+255754000111 -> +255754999000\t${b}\t"to +255754999000"`,
  ]);
  expect(
    (await cli('inbound', 'list', '--unassigned', '--json')).json.map((m: { id: string }) => m.id),
  ).toEqual(['in_2']);
  expect((await cli('inbound', 'list', '--account', b, '--json')).json).toMatchObject([
    { id: 'in_1', account_id: b, from: '+255754000111', to: '+255754999000' },
  ]);
});

import {
  type ComplianceChange,
  type CompliancePause,
  type ComplianceSettings,
  type createAdmin,
  GatewayError,
  type MifumoConfig,
  PAUSABLE_CLASSES,
  parseInstant,
} from '@mifumo/core';

type CliAdmin = ReturnType<typeof createAdmin>;

export interface Parsed {
  positionals: string[];
  values: {
    name?: string | undefined;
    balance?: string | undefined;
    account?: string | undefined;
    permissions?: string | undefined;
    'smart-encoding'?: string | undefined;
    'sms-per-minute'?: string | undefined;
    'api-calls-per-hour'?: string | undefined;
    'contact-ops-per-hour'?: string | undefined;
    url?: string | undefined;
    bearer?: string | undefined;
    'grace-seconds'?: string | undefined;
    'expires-at'?: string | undefined;
    class?: string | undefined;
    until?: string | undefined;
    'quiet-hours'?: string | undefined;
    'time-zone'?: string | undefined;
    footer?: string | undefined;
    'opt-out-reply'?: string | undefined;
    'opt-in-reply'?: string | undefined;
    'help-reply'?: string | undefined;
    number?: string | undefined;
    keyword?: string | undefined;
    carrier?: string | undefined;
    'webhook-url'?: string | undefined;
    unassigned?: boolean | undefined;
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a command returns: the data (printed as JSON with --json) and the lines a person reads. */
export interface Outcome {
  data: unknown;
  lines: string[];
}

function amount(text: string | undefined, what: string): number {
  const n = Number(text);
  if (text === undefined || text === '' || !Number.isFinite(n))
    throw new UsageError(`${what} must be a number`);
  return n;
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

type Command = (admin: CliAdmin, args: Parsed, config: MifumoConfig) => Promise<Outcome>;

/**
 * The sender IDs an account may use: its own, then the configured gateway-wide ones (each once, marked
 * `(gateway-wide)`); the JSON keeps the two lists apart.
 */
async function senderIdsOf(admin: CliAdmin, account: string, config: MifumoConfig) {
  const own = await admin.listSenderIds(account);
  const gateway = config.senderIds;
  const shown = [
    ...own.filter((id) => !gateway.includes(id)),
    ...gateway.map((id) => `${id} (gateway-wide)`),
  ];
  return { data: { account_id: account, sender_ids: own, gateway_sender_ids: gateway }, shown };
}

/** `mifumo <group> <action>`: each returns data and a human summary. */
export const commands: Record<string, Record<string, Command>> = {
  accounts: {
    async create(admin, { values }) {
      const account = await admin.createAccount({
        name: need(values.name, '--name'),
        balance: values.balance === undefined ? 0 : amount(values.balance, '--balance'),
      });
      return {
        data: account,
        lines: [
          `Created account ${account.id} (${account.name}), balance ${account.balance} ${account.currency}`,
        ],
      };
    },
    async list(admin) {
      const accounts = await admin.listAccounts();
      return { data: accounts, lines: accounts.map((a) => `${a.id}\t${a.balance} ${a.currency}\t${a.name}`) };
    },
    async set(admin, { positionals: [id], values }) {
      const accountId = need(id, '<account_id>');
      const limit = (flag: 'sms-per-minute' | 'api-calls-per-hour' | 'contact-ops-per-hour') => {
        const v = values[flag];
        return v === undefined ? undefined : v === 'default' ? null : amount(v, `--${flag}`);
      };
      const limits = {
        smsPerMinute: limit('sms-per-minute'),
        apiCallsPerHour: limit('api-calls-per-hour'),
        contactOpsPerHour: limit('contact-ops-per-hour'),
      };
      const choice = values['smart-encoding'];
      if (choice === undefined && Object.values(limits).every((v) => v === undefined))
        throw new UsageError('nothing to set');
      let account = await admin.setLimits(accountId, limits);
      if (choice !== undefined) {
        const on = ({ on: true, off: false, default: null } as Record<string, boolean | null>)[choice];
        if (on === undefined) throw new UsageError('--smart-encoding takes on, off or default');
        account = await admin.setSmartEncoding(accountId, on);
      }
      await admin.activity.record(accountId, 'cli', 'account.settings_changed', accountId, {
        ...Object.fromEntries(Object.entries(limits).filter(([, v]) => v !== undefined)),
        ...(choice === undefined ? {} : { smart_encoding: choice }),
      });
      return {
        data: account,
        lines: [
          `${account.id}: smart encoding ${account.smart_encoding ?? 'default'}, sms/minute ${account.sms_per_minute ?? 'default'}, api calls/hour ${account.api_calls_per_hour ?? 'default'}, contact ops/hour ${account.contact_ops_per_hour ?? 'default'}`,
        ],
      };
    },
    async topup(admin, { positionals: [id, value] }) {
      const account = await admin.topUp(need(id, '<account_id>'), amount(value, '<amount>'));
      return {
        data: account,
        lines: [`${account.id} balance is now ${account.balance} ${account.currency}`],
      };
    },
  },
  keys: {
    async create(admin, { values }) {
      const permissions = (values.permissions ?? 'read,write').split(',').map((p) => p.trim());
      const { key, record } = await admin.createKey({
        accountId: need(values.account, '--account'),
        name: values.name ?? 'cli',
        permissions,
        expiresAt: values['expires-at'] ?? null,
      });
      await admin.activity.record(record.account_id, 'cli', 'key.created', record.id, {
        name: record.name,
        permissions: record.permissions,
        expires_at: record.expires_at,
      });
      return {
        data: { ...record, key },
        lines: [
          `Created key ${record.id} (${record.permissions.join(',')}) for ${record.account_id}`,
          `API key: ${key}`,
        ],
      };
    },
    async list(admin, { values }) {
      const keys = await admin.listKeys(values.account);
      return {
        data: keys,
        lines: keys.map(
          (k) =>
            `${k.id}\t${k.prefix}…\t${k.permissions.join(',')}\t${keyState(k)}\t${k.account_id}\t${k.name}`,
        ),
      };
    },
    async rotate(admin, { positionals: [id], values }) {
      const grace = graceSeconds(values['grace-seconds'], 0);
      const { key, record, replaced } = await admin.rotateKey(need(id, '<key_id>'), {
        graceSeconds: grace,
        expiresAt: values['expires-at'],
      });
      await admin.activity.record(record.account_id, 'cli', 'key.rotated', record.id, {
        replaced: replaced.id,
        grace_period_seconds: grace,
        expires_at: record.expires_at,
      });
      return {
        data: { ...record, key, replaced },
        lines: [
          `Rotated ${replaced.id} into ${record.id}; the old key ${grace ? `works until ${replaced.expires_at}` : 'is revoked'}`,
          `API key: ${key}`,
        ],
      };
    },
    async revoke(admin, { positionals: [id] }) {
      const { key_hash: _, ...record } = await admin.revokeKey(need(id, '<key_id>'));
      await admin.activity.record(record.account_id, 'cli', 'key.revoked', record.id, { name: record.name });
      return { data: record, lines: [`Revoked ${record.id}`] };
    },
  },
  webhooks: {
    async show(admin, { positionals: [account] }) {
      const view = await admin.webhookSettings().get(need(account, '<account_id>'));
      return { data: view, lines: webhookLines(account!, view) };
    },
    async set(admin, { positionals: [account], values }) {
      if (values.url === undefined && values.bearer === undefined) throw new UsageError('nothing to set');
      const bearer =
        values.bearer === undefined
          ? undefined
          : ({ on: true, off: false } as Record<string, boolean>)[values.bearer];
      if (values.bearer !== undefined && bearer === undefined)
        throw new UsageError('--bearer takes on or off');
      const change = {
        ...(values.url === undefined ? {} : { url: values.url === 'none' ? null : values.url }),
        ...(bearer === undefined ? {} : { bearer_auth: bearer }),
      };
      const view = await admin.webhookSettings().update(need(account, '<account_id>'), change);
      await admin.activity.record(account!, 'cli', 'webhook.updated', null, change);
      return { data: view, lines: webhookLines(account!, view) };
    },
    async rotate(admin, { positionals: [account], values }) {
      const grace = graceSeconds(values['grace-seconds'], 86_400);
      const view = await admin.webhookSettings().rotate(need(account, '<account_id>'), grace);
      await admin.activity.record(account!, 'cli', 'webhook.secret_rotated', null, {
        grace_period_seconds: grace,
      });
      return { data: view, lines: webhookLines(account!, view) };
    },
  },
  compliance: {
    async show(admin, { values }) {
      const accountId = values.account;
      const settings = await admin.compliance.settings(accountId);
      const pauses = await admin.compliance.pauses(accountId === undefined ? {} : { accountId });
      return {
        data: { account_id: accountId ?? null, ...settings, pauses },
        lines: complianceLines(accountId ?? 'gateway', settings, pauses),
      };
    },
    async set(admin, { positionals: [id], values }) {
      const accountId = need(id, '<account_id>');
      const text = (flag: 'footer' | 'opt-out-reply' | 'opt-in-reply' | 'help-reply') => {
        const v = values[flag];
        return v === undefined ? undefined : v === 'default' ? null : v;
      };
      const current = await admin.compliance.settings(accountId);
      const change: ComplianceChange = {
        quietHours: quietHoursChange(values, current.quietHours),
        optOutFooter: text('footer'),
        optOutReply: text('opt-out-reply'),
        optInReply: text('opt-in-reply'),
        helpReply: text('help-reply'),
      };
      const given = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
      if (Object.keys(given).length === 0) throw new UsageError('nothing to set');
      const settings = await admin.compliance.setSettings(accountId, given);
      await admin.activity.record(accountId, 'cli', 'compliance.settings_changed', accountId, given);
      const pauses = await admin.compliance.pauses({ accountId });
      return {
        data: { account_id: accountId, ...settings, pauses },
        lines: complianceLines(accountId, settings, pauses),
      };
    },
    async pause(admin, { values }) {
      const trafficClass = classOf(values.class);
      const until = untilOf(values.until);
      const pause = await admin.compliance.pause({
        trafficClass,
        by: 'cli',
        ...(values.account === undefined ? {} : { accountId: values.account }),
        ...(until === undefined ? {} : { until }),
      });
      if (pause.account_id !== null)
        await admin.activity.record(pause.account_id, 'cli', 'compliance.paused', pause.id, {
          traffic_class: pause.traffic_class,
          until: pause.until,
        });
      return { data: pause, lines: [pauseLine(pause)] };
    },
    async resume(admin, { values }) {
      const trafficClass = classOf(values.class);
      const accountId = values.account;
      const ended = await admin.compliance.resume({
        trafficClass,
        by: 'cli',
        ...(accountId === undefined ? {} : { accountId }),
      });
      if (accountId !== undefined && ended > 0)
        await admin.activity.record(accountId, 'cli', 'compliance.resumed', accountId, {
          traffic_class: trafficClass,
        });
      const scope = accountId === undefined ? 'gateway-wide' : `of ${accountId}`;
      return {
        data: { account_id: accountId ?? null, traffic_class: trafficClass, resumed: ended },
        lines: [ended > 0 ? `Resumed ${trafficClass} ${scope}` : `${trafficClass} ${scope} was not paused`],
      };
    },
  },
  numbers: {
    async add(admin, { values }, config) {
      const added = await admin.addNumber(
        {
          accountId: need(values.account, '--account'),
          number: need(values.number, '--number'),
          keyword: values.keyword,
          carrierId: values.carrier,
          webhookUrl: values['webhook-url'],
        },
        numberRules(config),
      );
      await admin.activity.record(added.account_id, 'cli', 'number.added', added.id, {
        number: added.number,
        keyword: added.keyword,
        carrier_id: added.carrier_id,
        webhook_url: added.webhook_url,
      });
      return { data: added, lines: [`Added ${numberLine(added)}`] };
    },
    async list(admin, { values }) {
      const numbers = await admin.listNumbers(values.account);
      return { data: numbers, lines: numbers.map(numberLine) };
    },
    async remove(admin, { positionals: [number], values }, config) {
      const removed = await admin.removeNumber(
        need(number, '<number>'),
        values.keyword,
        config.defaultRegion,
      );
      await admin.activity.record(removed.account_id, 'cli', 'number.removed', removed.id, {
        number: removed.number,
        keyword: removed.keyword,
      });
      return { data: removed, lines: [`Removed ${numberLine(removed)}`] };
    },
  },
  inbound: {
    async list(admin, { values }) {
      const messages = await admin.listInbound({ accountId: values.account, unassigned: values.unassigned });
      return {
        data: messages,
        lines: messages.map(
          (m) =>
            `${m.received_at}\t${m.id}\t${m.from} -> ${m.to}\t${m.account_id ?? '(unassigned)'}\t${JSON.stringify(m.text)}`,
        ),
      };
    },
  },
  'sender-ids': {
    async add(admin, { positionals: [account, senderId] }, config) {
      await admin.addSenderId(need(account, '<account_id>'), need(senderId, '<sender_id>'));
      await admin.activity.record(account!, 'cli', 'sender_id.added', senderId!);
      const { data, shown } = await senderIdsOf(admin, account!, config);
      return { data, lines: [`${account} may send as: ${shown.join(', ')}`] };
    },
    async list(admin, { positionals: [account] }, config) {
      const { data, shown } = await senderIdsOf(admin, need(account, '<account_id>'), config);
      return { data, lines: shown };
    },
  },
};

/** `--class`: the traffic class a pause is about (only promotional for now). */
function classOf(value: string | undefined): string {
  if (value === undefined) throw new UsageError(`missing --class ${PAUSABLE_CLASSES.join('|')}`);
  if (!(PAUSABLE_CLASSES as readonly string[]).includes(value))
    throw new UsageError(`--class must be ${PAUSABLE_CLASSES.join(' or ')} (only they can be paused)`);
  return value;
}

/** A value refused as the service would refuse it: one line, exit status 1. */
const badValue = (flag: string, problem: string) =>
  new GatewayError('VALIDATION_ERROR', `${flag} ${problem}`, [{ field: flag, message: problem }]);

/** `--until`: an ISO 8601 date-time with an offset, as ms. */
function untilOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseInstant(value);
  if (ms === null || !/t/i.test(value))
    throw badValue(
      '--until',
      'must be an ISO 8601 date-time with a UTC offset, e.g. 2026-12-24T08:00:00+03:00',
    );
  return ms;
}

/** The quiet hours `compliance set` makes of `--quiet-hours` and `--time-zone`, on top of the current ones. */
function quietHoursChange(
  values: Parsed['values'],
  current: ComplianceSettings['quietHours'],
): ComplianceChange['quietHours'] {
  const range = values['quiet-hours'];
  const zone = values['time-zone'];
  if (range === 'default' || range === 'none') {
    if (zone !== undefined)
      throw new UsageError(`--time-zone goes with --quiet-hours HH:MM-HH:MM, not ${range}`);
    return range === 'none' ? 'none' : null;
  }
  if (range === undefined && zone === undefined) return undefined;
  let start: string;
  let end: string;
  if (range === undefined) {
    if (!current) throw badValue('--time-zone', 'needs --quiet-hours too: this account has no quiet hours');
    ({ start, end } = current);
  } else {
    const m = /^([^-]+)-([^-]+)$/.exec(range);
    if (!m) throw new UsageError('--quiet-hours takes HH:MM-HH:MM (e.g. 20:00-08:00), none or default');
    [start, end] = [m[1]!, m[2]!];
  }
  return { start, end, timeZone: zone ?? current?.timeZone ?? 'Africa/Dar_es_Salaam' };
}

const quietHoursText = (q: ComplianceSettings['quietHours']) =>
  q ? `${q.start}-${q.end} ${q.timeZone}${q.start === q.end ? ' (none: start equals end)' : ''}` : 'none';

function complianceLines(who: string, s: ComplianceSettings, pauses: CompliancePause[]) {
  const from = (setting: ComplianceSettings['overrides'][number]) =>
    who === 'gateway' ? '' : s.overrides.includes(setting) ? ' (account)' : ' (gateway)';
  return [
    `${who}: quiet hours ${quietHoursText(s.quietHours)}${from('quietHours')}`,
    `Opt-out footer${from('optOutFooter')}: ${s.optOutFooter}`,
    `Opt-out reply${from('optOutReply')}: ${s.optOutReply}`,
    `Opt-in reply${from('optInReply')}: ${s.optInReply}`,
    `Help reply${from('helpReply')}: ${s.helpReply}`,
    `Keywords: opt-out ${s.keywords.optOut.join(',')}; opt-in ${s.keywords.optIn.join(',')}; help ${s.keywords.help.join(',')}`,
    ...(pauses.length === 0 ? ['Not paused'] : pauses.map(pauseLine)),
  ];
}

const pauseLine = (p: CompliancePause) =>
  `Paused: ${p.traffic_class} ${p.account_id === null ? 'gateway-wide' : `of ${p.account_id}`} ${p.until === null ? 'until resumed' : `until ${p.until}`} (by ${p.created_by} at ${p.created_at})`;
/** What `numbers add` checks a number against: the configuration's region, carriers and webhook rules. */
const numberRules = (config: MifumoConfig) => ({
  defaultRegion: config.defaultRegion,
  carrierIds: config.carriers.map((c) => c.id),
  allowPrivateNetworks: config.webhooks.allowPrivateNetworks,
});

const numberLine = (n: {
  id: string;
  number: string;
  keyword: string | null;
  carrier_id: string | null;
  webhook_url: string | null;
  account_id: string;
}) =>
  `${n.id}\t${n.number}\t${n.keyword ?? '(no keyword)'}\t${n.account_id}\t${n.carrier_id ?? 'any carrier'}\t${n.webhook_url ?? '(account webhook)'}`;

function webhookLines(
  account: string,
  v: {
    url: string | null;
    bearer_auth: boolean;
    signing_secret: string;
    previous_secret_valid_until: string | null;
  },
) {
  return [
    `${account}: webhook URL ${v.url ?? '(none: only sends with webhook_url)'}, Bearer ${v.bearer_auth ? 'on' : 'off'}`,
    `Signing secret: ${v.signing_secret}${v.previous_secret_valid_until ? ` (the previous one signs too until ${v.previous_secret_valid_until})` : ''}`,
  ];
}

/** `--grace-seconds`: a whole number of seconds up to a week, or `fallback` when not given. */
function graceSeconds(value: string | undefined, fallback: number): number {
  const grace = value === undefined ? fallback : amount(value, '--grace-seconds');
  if (!Number.isInteger(grace) || grace < 0 || grace > 604_800)
    throw new UsageError('--grace-seconds must be a whole number from 0 to 604800 (a week)');
  return grace;
}

const keyState = (k: { revoked_at: string | null; expires_at: string | null }) =>
  k.revoked_at ? 'revoked' : k.expires_at && k.expires_at <= new Date().toISOString() ? 'expired' : 'active';

export const USAGE = `Usage: mifumo <command> [--json]
  accounts create --name <name> [--balance <amount>]
  accounts list
  accounts topup <account_id> <amount>
  accounts set <account_id> [--smart-encoding on|off|default] [--sms-per-minute N|default]
                [--api-calls-per-hour N|default] [--contact-ops-per-hour N|default]
  keys create --account <account_id> [--name <name>] [--permissions read,write,admin]
              [--expires-at <ISO date-time with offset>]
  keys list [--account <account_id>]
  keys rotate <key_id> [--grace-seconds N]   (default 0: the old key is revoked at once)
              [--expires-at <ISO date-time with offset>]   (default: the old key's lifetime, from now)
  keys revoke <key_id>
  sender-ids add <account_id> <sender_id>
  sender-ids list <account_id>          (with the gateway-wide ones from the config, marked as such)
  numbers add --account <account_id> --number <short code or phone number> [--keyword <word>]
              [--carrier <carrier_id>] [--webhook-url <url>]   (a shared number: one keyword each)
  numbers list [--account <account_id>]
  numbers remove <number> [--keyword <word>]
  inbound list [--unassigned] [--account <account_id>]   (the 100 newest)
  webhooks show <account_id>
  webhooks set <account_id> [--url <url>|none] [--bearer on|off]
  webhooks rotate <account_id> [--grace-seconds N]   (default a day; the old secret signs too meanwhile)
  compliance show [--account <account_id>]   (the effective settings and the pauses in force)
  compliance set <account_id> [--quiet-hours HH:MM-HH:MM|none|default] [--time-zone <IANA zone>]
                 [--footer "<text with {number}>"|default] [--opt-out-reply <text>|default]
                 [--opt-in-reply <text>|default] [--help-reply <text>|default]
  compliance pause --class promotional [--account <account_id>] [--until <ISO date-time with offset>]
  compliance resume --class promotional [--account <account_id>]   (without --account: gateway-wide)
  smsc-sim [--port 2775] …            an SMSC simulator for development (smsc-sim --help)
Reads DATABASE_URL (default file:./data/mifumo.db) and MIFUMO_CONFIG; webhooks also MIFUMO_SECRET
(or the key file the gateway made: MIFUMO_SECRET_FILE, default beside the SQLite database).`;

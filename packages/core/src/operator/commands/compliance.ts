import { parseInstant } from '../../domain/instant';
import type { ComplianceChange, CompliancePause, ComplianceSettings } from '../../services/compliance';
import { PAUSABLE_CLASSES } from '../../services/compliance';
import type { Parsed } from '../command-line';
import type { CommandGroup } from './command';
import { badValue, need, UsageError } from './values';

/** `mifumo compliance …`: quiet hours, opt-out texts and the pause switch. */
export const compliance: CommandGroup = {
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
};

/** `--class`: the traffic class a pause is about (only promotional for now). */
function classOf(value: string | undefined): string {
  if (value === undefined) throw new UsageError(`missing --class ${PAUSABLE_CLASSES.join('|')}`);
  if (!(PAUSABLE_CLASSES as readonly string[]).includes(value))
    throw new UsageError(`--class must be ${PAUSABLE_CLASSES.join(' or ')} (only they can be paused)`);
  return value;
}

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

import type { Selectable } from 'kysely';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { footerProblem, type OptOutRoute, renderFooter, replyProblem } from '../domain/opt-out-footer';
import { type QuietHours, quietHoursEnd, quietHoursProblem } from '../domain/quiet-hours';
import { canonicalTimeZone } from '../domain/time-zone';
import { GatewayError, invalidField } from '../errors';
import { newId } from '../ids';
import type { AccountComplianceTable, CompliancePausesTable } from '../storage/schema';
import type { Store } from '../storage/store';

/**
 * A promotional recipient held by a pause without an end is looked at again this often (by another
 * process's resume too); a resume in this process releases the held ones at once.
 */
export const HELD_RECHECK_MS = 60_000;

/** The traffic classes a pause may stop (only promotional messages for now). */
export const PAUSABLE_CLASSES = ['promotional'] as const;
export type PausableClass = (typeof PAUSABLE_CLASSES)[number];

/** The texts an account may set for itself; each falls back to the configuration's. */
const TEXTS = {
  optOutFooter: { column: 'opt_out_footer', problem: footerProblem },
  optOutReply: { column: 'opt_out_reply', problem: replyProblem },
  optInReply: { column: 'opt_in_reply', problem: replyProblem },
  helpReply: { column: 'help_reply', problem: replyProblem },
} as const;
type TextSetting = keyof typeof TEXTS;
export type ComplianceSetting = 'quietHours' | TextSetting;

/** An account's effective compliance settings: its own where it has them, else the configuration's. */
export interface ComplianceSettings {
  /** Null: no quiet hours. */
  quietHours: QuietHours | null;
  optOutFooter: string;
  optOutReply: string;
  optInReply: string;
  helpReply: string;
  /** Gateway-wide (the configuration's); inbound messages starting with one of these are keywords. */
  keywords: { optOut: string[]; optIn: string[]; help: string[] };
  /** The settings the account sets itself; the rest are the configuration's. */
  overrides: ComplianceSetting[];
}

/**
 * A change of an account's settings: a field left out is kept; null goes back to the configuration's.
 * `quietHours: "none"`: no quiet hours for this account, whatever the configuration says.
 */
export interface ComplianceChange {
  quietHours?: QuietHours | 'none' | null;
  optOutFooter?: string | null;
  optOutReply?: string | null;
  optInReply?: string | null;
  helpReply?: string | null;
}

/** A pause in force. */
export interface CompliancePause {
  id: string;
  /** Null: gateway-wide. */
  account_id: string | null;
  traffic_class: PausableClass;
  /** Null: until resumed. */
  until: string | null;
  created_at: string;
  created_by: string;
}

/**
 * When a promotional message of an account may go: now (`deferUntil` and `held` both null/false), at
 * `deferUntil` (the end of quiet hours or of a pause with an end, whichever is later, and out of quiet
 * hours then), or not until a pause without an end is resumed (`held`).
 */
export type PromotionalWindow =
  | { deferUntil: null; held: false; reason: null }
  | { deferUntil: number; held: false; reason: 'quiet_hours' | 'paused' }
  | { deferUntil: null; held: true; reason: 'paused' };

/** What the hot path reads of an account: its effective settings and the pauses that may apply to it. */
interface AccountState {
  settings: ComplianceSettings;
  /** Whether the account has settings of its own (so it exists). */
  stored: boolean;
  pauses: CompliancePause[];
  expires: number;
}

const MAX_CACHED = 10_000;
const NONE = 'none';

const notFound = (id: string) => new GatewayError('NOT_FOUND', `No account ${id}`);

const pauseView = (r: Selectable<CompliancePausesTable>): CompliancePause => ({
  id: r.id,
  account_id: r.account_id,
  traffic_class: r.traffic_class as PausableClass,
  until: r.until,
  created_at: r.created_at,
  created_by: r.created_by,
});

/** Quiet hours checked and with the zone's canonical name; VALIDATION_ERROR naming the field otherwise. */
function checkedQuietHours(q: QuietHours): QuietHours {
  const problem = quietHoursProblem(q);
  if (problem) {
    const field = `quiet_hours.${problem.field === 'timeZone' ? 'time_zone' : problem.field}`;
    throw invalidField(field, problem.message);
  }
  return { start: q.start, end: q.end, timeZone: canonicalTimeZone(q.timeZone)! };
}

/**
 * The columns a change sets, each value checked (quiet hours valid, texts within their rules); a
 * VALIDATION_ERROR naming the field otherwise. Pure: a caller checks a change before storing anything.
 */
export function complianceColumns(change: ComplianceChange) {
  const set: Partial<Record<'quiet_hours' | (typeof TEXTS)[TextSetting]['column'], string | null>> = {};
  const { quietHours } = change;
  if (quietHours !== undefined)
    set.quiet_hours =
      quietHours === null || quietHours === NONE ? quietHours : JSON.stringify(checkedQuietHours(quietHours));
  for (const [name, { column, problem }] of Object.entries(TEXTS) as [
    TextSetting,
    (typeof TEXTS)[TextSetting],
  ][]) {
    const text = change[name];
    if (text === undefined) continue;
    const found = text === null ? null : problem(text);
    if (found) throw invalidField(column, found);
    set[column] = text;
  }
  return set;
}

function checkedTrafficClass(trafficClass: string): PausableClass {
  if (!(PAUSABLE_CLASSES as readonly string[]).includes(trafficClass))
    throw invalidField('traffic_class', `must be ${PAUSABLE_CLASSES.join(' or ')}`);
  return trafficClass as PausableClass;
}

/**
 * The rules for promotional messages: each account's quiet hours and opt-out texts (its own or the
 * configuration's), and the pause switch, gateway-wide or for one account. What sends and the
 * dispatcher read (`promotionalWindow`, `footerFor`) is cached per account for `compliance.cacheTtlMs`;
 * a change made through this service applies in this process at once.
 */
export function createCompliance(deps: { store: Store; clock: Clock; config: MifumoConfig['compliance'] }) {
  const { store, clock, config } = deps;
  const { db } = store;
  const cache = new Map<string, AccountState>();

  /** Pauses in force at `now` that apply to `accountId` (gateway-wide ones too), or to every account. */
  async function activePauses(now: number, accountId?: string): Promise<CompliancePause[]> {
    const at = iso(now);
    let query = db
      .selectFrom('compliance_pauses')
      .selectAll()
      .where('traffic_class', 'in', PAUSABLE_CLASSES)
      .where('resumed_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', at)]));
    if (accountId !== undefined)
      query = query.where((eb) => eb.or([eb('account_id', 'is', null), eb('account_id', '=', accountId)]));
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map(pauseView);
  }

  async function state(accountId: string): Promise<AccountState> {
    const now = clock.now();
    const hit = cache.get(accountId);
    if (hit && hit.expires > now) return hit;
    const [row, pauses] = await Promise.all([
      db.selectFrom('account_compliance').selectAll().where('account_id', '=', accountId).executeTakeFirst(),
      activePauses(now, accountId),
    ]);
    const fresh = {
      settings: effective(row),
      stored: row !== undefined,
      pauses,
      expires: now + config.cacheTtlMs,
    };
    cache.delete(accountId);
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    if (config.cacheTtlMs > 0) cache.set(accountId, fresh);
    return fresh;
  }

  function effective(row: Selectable<AccountComplianceTable> | undefined): ComplianceSettings {
    const overrides: ComplianceSetting[] = [];
    let quietHours = config.quietHours;
    if (row?.quiet_hours != null) {
      overrides.push('quietHours');
      quietHours = row.quiet_hours === NONE ? null : (JSON.parse(row.quiet_hours) as QuietHours);
    }
    const texts = {} as Record<TextSetting, string>;
    for (const [name, { column }] of Object.entries(TEXTS) as [TextSetting, (typeof TEXTS)[TextSetting]][]) {
      const own = row?.[column] ?? null;
      if (own !== null) overrides.push(name);
      texts[name] = own ?? config[name];
    }
    return {
      quietHours,
      ...texts,
      keywords: { optOut: config.optOutKeywords, optIn: config.optInKeywords, help: config.helpKeywords },
      overrides,
    };
  }

  async function accountExists(accountId: string) {
    const found = await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!found) throw notFound(accountId);
  }

  /** The account's effective settings; without an account, the configuration's. */
  async function settings(accountId?: string): Promise<ComplianceSettings> {
    if (accountId === undefined) return effective(undefined);
    const { settings, stored } = await state(accountId);
    if (!stored) await accountExists(accountId);
    return settings;
  }

  return {
    settings,

    /** Sets the account's own settings (see `ComplianceChange`); answers its effective settings. */
    async setSettings(accountId: string, change: ComplianceChange): Promise<ComplianceSettings> {
      const set = complianceColumns(change);
      const updatedAt = iso(clock.now());
      // Only where the account exists; its row is made on its first change.
      await db
        .insertInto('account_compliance')
        .columns(['account_id', ...(Object.keys(set) as (keyof typeof set)[]), 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom('accounts')
            .select([
              'id as account_id',
              ...Object.entries(set).map(([column, value]) => eb.val(value).as(column)),
              eb.val(updatedAt).as('updated_at'),
            ])
            .where('id', '=', accountId),
        )
        .onConflict((oc) => oc.column('account_id').doUpdateSet({ ...set, updated_at: updatedAt }))
        .execute();
      cache.delete(accountId);
      return settings(accountId);
    },

    /**
     * Pauses promotional messages of one account (`accountId`) or of every account, until `until` (ms)
     * or until resumed; a pause already in force on the same scope is replaced. `by` is recorded as
     * who paused (`cli`, `key:<id>`; default `in-process`).
     */
    async pause(
      options: { accountId?: string; until?: number; trafficClass?: string; by?: string } = {},
    ): Promise<CompliancePause> {
      const trafficClass = checkedTrafficClass(options.trafficClass ?? 'promotional');
      const now = clock.now();
      if (options.until !== undefined && !(options.until > now))
        throw invalidField('until', 'must be in the future');
      const accountId = options.accountId ?? null;
      if (accountId !== null) await accountExists(accountId);
      const by = options.by ?? 'in-process';
      const row = {
        id: newId('pau', now),
        account_id: accountId,
        traffic_class: trafficClass,
        until: options.until === undefined ? null : iso(options.until),
        created_at: iso(now),
        created_by: by,
        resumed_at: null,
        resumed_by: null,
      };
      await store.atomic([
        endPauses(accountId, trafficClass, now, by).compile(),
        db.insertInto('compliance_pauses').values(row).compile(),
      ]);
      cache.clear();
      return pauseView(row);
    },

    /** Ends the pauses in force on one account (`accountId`) or gateway-wide; answers how many ended. */
    async resume(options: { accountId?: string; trafficClass?: string; by?: string } = {}): Promise<number> {
      const trafficClass = checkedTrafficClass(options.trafficClass ?? 'promotional');
      const accountId = options.accountId ?? null;
      if (accountId !== null) await accountExists(accountId);
      const result = await endPauses(
        accountId,
        trafficClass,
        clock.now(),
        options.by ?? 'in-process',
      ).executeTakeFirst();
      cache.clear();
      await releaseHeld(accountId, trafficClass, clock.now());
      return Number(result.numUpdatedRows);
    },

    /**
     * The pauses in force: those that apply to `accountId` (its own and the gateway-wide ones), or
     * without it every one, oldest first.
     */
    async pauses(options: { accountId?: string } = {}): Promise<CompliancePause[]> {
      if (options.accountId !== undefined) await accountExists(options.accountId);
      return activePauses(clock.now(), options.accountId);
    },

    /** When a promotional message of the account may go (see `PromotionalWindow`); `now` defaults to the clock. */
    async promotionalWindow(accountId: string, now = clock.now()): Promise<PromotionalWindow> {
      const { settings, pauses } = await state(accountId);
      const inForce = pauses.filter((p) => p.until === null || Date.parse(p.until) > now);
      if (inForce.some((p) => p.until === null)) return { deferUntil: null, held: true, reason: 'paused' };
      const pausedUntil = Math.max(now, ...inForce.map((p) => Date.parse(p.until!)));
      const { quietHours } = settings;
      const quietEnd = quietHours ? quietHoursEnd(pausedUntil, quietHours) : null;
      const deferUntil = quietEnd ?? pausedUntil;
      if (deferUntil === now) return { deferUntil: null, held: false, reason: null };
      return { deferUntil, held: false, reason: pausedUntil > now ? 'paused' : 'quiet_hours' };
    },

    /**
     * The opt-out footer of the account's promotional messages for its opt-out `route` (its inbound
     * number, and its keyword on a shared short code). OPT_OUT_REQUIRED when it has no route, or when
     * its footer cannot name the keyword its shared code needs.
     */
    async footerFor(accountId: string, route: OptOutRoute | null): Promise<string> {
      if (route === null)
        throw new GatewayError(
          'OPT_OUT_REQUIRED',
          `Promotional messages need an opt-out route: add an inbound number to account ${accountId} (mifumo numbers add …) for recipients to send the opt-out keyword to`,
          { setting: 'inbound_number' },
        );
      const { optOutFooter } = (await state(accountId)).settings;
      const footer = renderFooter(optOutFooter, route);
      if (footer === null)
        throw new GatewayError(
          'OPT_OUT_REQUIRED',
          `The opt-out footer of account ${accountId} has no {keyword}, but its opt-out route is the keyword ${route.keyword} on the shared number ${route.number}: add {keyword} to it (mifumo compliance set ${accountId} --footer "…")`,
          { setting: 'opt_out_footer' },
        );
      return footer;
    },
  };

  /** Marks the pauses in force on a scope (an account, or gateway-wide: null) as resumed at `now`. */
  /**
   * Held recipients of the class (of the account, or of every account) due again within the next
   * re-check: due now, so the next dispatch looks at them (and holds them again if a pause is still in force).
   */
  function releaseHeld(accountId: string | null, trafficClass: PausableClass, now: number) {
    const at = iso(now);
    return db
      .updateTable('recipients')
      .set({ next_attempt_at: at })
      .where('status', '=', 'queued')
      .where('next_attempt_at', '>', at)
      .where('next_attempt_at', '<=', iso(now + HELD_RECHECK_MS))
      .$if(accountId !== null, (q) => q.where('account_id', '=', accountId!))
      .where('message_id', 'in', (eb) =>
        eb
          .selectFrom('messages')
          .select('id')
          .where('traffic_class', '=', trafficClass)
          .$if(accountId !== null, (q) => q.where('account_id', '=', accountId!)),
      )
      .execute();
  }

  function endPauses(accountId: string | null, trafficClass: PausableClass, now: number, by: string) {
    const at = iso(now);
    return db
      .updateTable('compliance_pauses')
      .set({ resumed_at: at, resumed_by: by })
      .where('traffic_class', '=', trafficClass)
      .where('resumed_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', at)]))
      .where('account_id', accountId === null ? 'is' : '=', accountId);
  }
}

export type Compliance = ReturnType<typeof createCompliance>;

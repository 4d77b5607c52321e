import type { Selectable } from 'kysely';
import type { AwaitingReports, DeliveryReport, ReportOutcome } from '../carriers/contract';
import { type Clock, iso } from '../clock';
import { replaceUnsafe } from '../domain/safe-text';
import type { Logger } from '../logger';
import type { HeldReportsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import type { Transitions } from './transitions';

/** How many held reports one sweep looks at. */
const SWEEP_BATCH = 100;
/** Without reports held by this process, the database is swept for others' at most this often. */
const SWEEP_EVERY_MS = 1000;
/** Messages per page of `awaiting`. */
const AWAITING_PAGE = 500;

const toReport = (h: Selectable<HeldReportsTable>): DeliveryReport => ({
  carrierMessageId: h.carrier_message_id,
  status: h.status,
  at: h.reported_at === null ? undefined : Date.parse(h.reported_at),
  errorCode: h.error_code ?? undefined,
  errorMessage: h.error_message ?? undefined,
  ...(Number(h.opted_out) === 1 ? { optedOut: true } : {}),
});

/** A report's texts as PostgreSQL can hold them (a carrier's NUL becomes U+FFFD). */
const safeReport = (r: DeliveryReport): DeliveryReport => ({
  ...r,
  carrierMessageId: replaceUnsafe(r.carrierMessageId),
  alsoKnownAs: r.alsoKnownAs?.map(replaceUnsafe),
  errorCode: r.errorCode === undefined ? undefined : replaceUnsafe(r.errorCode),
  errorMessage: r.errorMessage === undefined ? undefined : replaceUnsafe(r.errorMessage),
});

/** Records that a carrier said the subscriber (`phone`, E.164) blocks the account's sender; `evidence`: what it said. */
export type OptedOutByCarrier = (accountId: string, phone: string, evidence: string) => Promise<unknown>;

/**
 * Delivery reports from carriers. A report can beat its own submit (the carrier answers before the
 * dispatcher has stored the carrier's id): it is then held in the database, under every spelling of its
 * id, and applied as soon as one is stored: right after that submit in this process, or by the next
 * `sweep()` (which `dispatchDue` runs) in any process. A held report only matches a submission of the
 * same carrier stored before it expires (`holdMs` after it arrived), so a stray report cannot decide
 * the fate of a message sent later; expired ones are dropped and logged. At most `maxHeld` are held
 * per carrier: past that, a report for an unknown id is dropped at once.
 */
export function createReports(deps: {
  store: Store;
  transitions: Transitions;
  clock: Clock;
  log: Logger;
  carrierIds: ReadonlySet<string>;
  holdMs: number;
  maxHeld: number;
  /** A report saying the subscriber blocks the sender (`optedOut`) adds its number to the account's opt-outs. */
  optedOut?: OptedOutByCarrier;
}) {
  const { store, transitions, clock, log } = deps;
  const { db } = store;
  /** Reports this process held and has not seen applied: while any, a submit checks for its own at once. */
  let heldHere = 0;
  let lastSweep = Number.NEGATIVE_INFINITY;
  /** Carriers whose hold is full, so the drop is logged once until it has room again. */
  const full = new Set<string>();

  const hold = queryTemplate(
    [
      'carrier_id',
      'carrier_message_id',
      'hold_id',
      'status',
      'reported_at',
      'error_code',
      'error_message',
      'received_at',
      'expires_at',
      'opted_out',
    ],
    (p) =>
      db
        .insertInto('held_reports')
        .values(p)
        .onConflict((oc) => oc.doNothing()),
  );
  /** Every row of a hold (all spellings of its id). */
  const release = queryTemplate(['carrierId', 'holdId'], (p) =>
    db.deleteFrom('held_reports').where('carrier_id', '=', p.carrierId).where('hold_id', '=', p.holdId),
  );

  /** Whether any of `ids` is stored for the carrier. */
  async function isKnown(carrierId: string, ids: readonly string[]) {
    const row = await db
      .selectFrom('carrier_refs')
      .select('recipient_id')
      .where('carrier_id', '=', carrierId)
      .where('carrier_message_id', 'in', ids)
      .executeTakeFirst();
    return row !== undefined;
  }

  async function heldFor(carrierId: string) {
    const row = await db
      .selectFrom('held_reports')
      .select((eb) => eb.fn.count<number>('hold_id').distinct().as('n'))
      .where('carrier_id', '=', carrierId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Applies held reports whose carrier id is stored by now (of `only` these ids, when given); returns how many. */
  async function releaseStored(only?: { carrierId: string; refs: readonly string[] }): Promise<number> {
    let q = db
      .selectFrom('held_reports as h')
      .innerJoin('carrier_refs as c', (j) =>
        j
          .onRef('c.carrier_id', '=', 'h.carrier_id')
          .onRef('c.carrier_message_id', '=', 'h.carrier_message_id'),
      )
      .innerJoin('recipients as r', 'r.id', 'c.recipient_id')
      // Only a submission stored while the report was held: one made later is not the one it beat.
      .whereRef('r.sent_at', '<=', 'h.expires_at')
      .selectAll('h')
      .limit(SWEEP_BATCH);
    if (only) q = q.where('h.carrier_id', '=', only.carrierId).where('h.carrier_message_id', 'in', only.refs);
    const stored = await q.execute();
    for (const h of stored) {
      // Applied and removed in one step; a recipient already final only loses the held rows.
      const report = toReport(h);
      await transitions.report(h.carrier_id, h.carrier_message_id, report, clock.now(), [
        release({ carrierId: h.carrier_id, holdId: h.hold_id }),
      ]);
      if (report.optedOut) await recordOptOut(h.carrier_id, report);
    }
    heldHere = Math.max(0, heldHere - stored.length);
    return stored.length;
  }

  async function dropExpired() {
    const dropped = await db
      .deleteFrom('held_reports')
      .where('expires_at', '<', iso(clock.now()))
      .returning(['carrier_id', 'carrier_message_id', 'hold_id'])
      .execute();
    const holds = dropped.filter((d) => d.carrier_message_id === d.hold_id);
    heldHere = Math.max(0, heldHere - holds.length);
    for (const d of holds)
      log.error(`delivery report for unknown ${d.carrier_id} message ${d.carrier_message_id} dropped`);
    if (holds.length) full.clear();
  }

  /** Applies a report to the part its carrier id belongs to, or holds it; what became of it. */
  async function apply(carrierId: string, pushed: DeliveryReport): Promise<ReportOutcome> {
    if (!deps.carrierIds.has(carrierId)) return 'unknown';
    const report = safeReport(pushed);
    // Each spelling of its id in turn: one atomic step each, the first for almost every report.
    const ids = [...new Set([report.carrierMessageId, ...(report.alsoKnownAs ?? [])])];
    const applyNow = async () => {
      for (const ref of ids)
        if ((await transitions.report(carrierId, ref, report, clock.now())).part) return true;
      return false;
    };
    // A report saying the subscriber blocks the sender opts the number out once its id is known (a
    // held one when it is applied, in `releaseStored`).
    const known = async (outcome: 'applied' | 'duplicate') => {
      if (report.optedOut) await recordOptOut(carrierId, report);
      return outcome;
    };
    if (await applyNow()) return known('applied');
    // Known by now: either reported before (a duplicate), or its submit was committed just after the
    // attempt above looked (PostgreSQL): then it applies now.
    if (await isKnown(carrierId, ids)) return known((await applyNow()) ? 'applied' : 'duplicate');
    if ((await heldFor(carrierId)) >= deps.maxHeld) {
      if (!full.has(carrierId))
        log.error(
          `${carrierId} has ${deps.maxHeld} delivery reports held for unknown ids: further ones are dropped until some are applied or expire`,
        );
      full.add(carrierId);
      return 'dropped';
    }
    heldHere++;
    const now = clock.now();
    await store.atomic(
      ids.map((ref) =>
        hold({
          carrier_id: carrierId,
          carrier_message_id: ref,
          hold_id: report.carrierMessageId,
          status: report.status,
          reported_at: report.at === undefined ? null : iso(report.at),
          error_code: report.errorCode ?? null,
          error_message: report.errorMessage ?? null,
          received_at: iso(now),
          expires_at: iso(now + deps.holdMs),
          opted_out: report.optedOut ? 1 : 0,
        }),
      ),
    );
    // Its submit may have been stored meanwhile, after checking for held reports: look once more.
    const released = await releaseStored({ carrierId, refs: ids });
    return released > 0 ? 'applied' : 'held';
  }

  /**
   * The account and number of the recipient a report is about, when its id is stored: a report saying
   * the subscriber blocks the sender opts the number out (a held one when it is applied).
   */
  async function recordOptOut(carrierId: string, report: DeliveryReport) {
    const ids = [...new Set([report.carrierMessageId, ...(report.alsoKnownAs ?? [])])];
    const recipient = await db
      .selectFrom('carrier_refs as c')
      .innerJoin('recipients as r', 'r.id', 'c.recipient_id')
      .select(['r.account_id', 'r.phone'])
      .where('c.carrier_id', '=', carrierId)
      .where('c.carrier_message_id', 'in', ids)
      .executeTakeFirst();
    if (recipient)
      await deps.optedOut?.(
        recipient.account_id,
        recipient.phone,
        `${carrierId}: ${report.errorCode ?? report.errorMessage ?? 'blocked'}`,
      );
  }

  return {
    /** Applies a report to the part its carrier id belongs to (each part's first final report wins), or holds it. */
    handle: apply,

    /** Called after a submit's ids are stored: applies reports for them that arrived first. */
    async afterSent(carrierId: string, refs: readonly string[]) {
      if (heldHere > 0 && refs.length > 0) await releaseStored({ carrierId, refs });
    },

    /** A page of what `carrierId` accepted and has not reported on yet (see `CarrierContext.awaitingReports`). */
    async awaiting(carrierId: string, next?: string | null): Promise<AwaitingReports> {
      const rows = await db
        .selectFrom('recipients')
        .select(['id', 'carrier_message_id', 'sent_at'])
        .where('status', '=', 'sent')
        .where('carrier_id', '=', carrierId)
        .$if(next != null, (q) => q.where('id', '>', next!))
        .orderBy('id')
        .limit(AWAITING_PAGE)
        .execute();
      return {
        messages: rows.flatMap((r) =>
          r.carrier_message_id === null || r.sent_at === null
            ? []
            : [{ carrierMessageId: r.carrier_message_id, sentAt: Date.parse(r.sent_at) }],
        ),
        next: rows.length === AWAITING_PAGE ? rows.at(-1)!.id : null,
      };
    },

    /** Applies held reports whose ids are stored by now and drops expired ones (every process, now and then). */
    async sweep() {
      const now = clock.now();
      if (heldHere === 0 && now - lastSweep < SWEEP_EVERY_MS) return;
      lastSweep = now;
      while ((await releaseStored()) === SWEEP_BATCH);
      await dropExpired();
    },
  };
}

export type Reports = ReturnType<typeof createReports>;

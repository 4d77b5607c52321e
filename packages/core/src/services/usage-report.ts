import { sql } from 'kysely';
import { iso } from '../clock';
import { type RangeQuery, reportRange } from '../domain/report-range';
import { utcMidnight } from '../domain/time-zone';
import { yieldToEventLoop } from '../event-loop';
import { toMajor } from '../money';
import { type LocalDay, localDay } from '../storage/local-day';
import type { Store } from '../storage/store';
import { currencyOf } from './accounts';

const DAY = 86_400_000;

/** What was sent in a day, to an operator, or over the whole range. */
export interface UsageFigures {
  /** Messages accepted (one send or campaign message, whatever its recipients). */
  messages: number;
  recipients: number;
  /** Segments charged: each recipient's message's segments. */
  segments: number;
  /** Recipients delivered. */
  delivered: number;
  /** Recipients failed or expired. */
  failed: number;
  /** Charged less refunded, in major units. */
  spend: number;
  /** The same in minor units, as the ledger keeps it. */
  spend_minor: number;
}

export interface UsageReport {
  from: string;
  to: string;
  time_zone: string;
  currency: string;
  /** Every day of the range, oldest first, days with nothing included. */
  days: (UsageFigures & { date: string })[];
  /** Each operator sent to, most recipients first; null: a number the operator table does not know. */
  operators: (UsageFigures & { operator: string | null })[];
  totals: UsageFigures;
}

type Sums = Omit<UsageFigures, 'spend'>;
const zero = (): Sums => ({
  messages: 0,
  recipients: 0,
  segments: 0,
  delivered: 0,
  failed: 0,
  spend_minor: 0,
});
const add = (to: Sums, from: Partial<Sums>) => {
  for (const k of Object.keys(to) as (keyof Sums)[]) to[k] += from[k] ?? 0;
};
/** Operators by name, the unknown (null) last. */
const byName = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1;
const figures = (s: Sums): UsageFigures => ({ ...s, spend: toMajor(s.spend_minor) });

/** The span of creation times each pair of queries reads, so a long range is read a month at a time. */
const WINDOW_MS = 31 * DAY;

/**
 * Usage over a range of calendar days in a time zone: per day and per operator, messages, recipients,
 * segments, deliveries and spend. Two grouped queries over the account's (account_id, created_at)
 * indexes for each month of the range, letting other requests run between months; what they return
 * grows with the days and operators, never with the messages. Everything counts on the day it was
 * accepted; spend is what its recipients cost less what was refunded for them (a recipient no carrier
 * took: failed or expired before submission, or cancelled).
 */
export function createUsageReports({ store }: { store: Store }) {
  const { db } = store;

  /** Messages accepted from `start` to before `end`, by UTC date and shift. */
  function messagesIn(accountId: string, day: LocalDay, start: string, end: string) {
    return db
      .selectFrom(
        db
          .selectFrom('messages')
          .select([day.utcDay.as('utc_day'), day.shift.as('shift')])
          .where('account_id', '=', accountId)
          .where('created_at', '>=', start)
          .where('created_at', '<', end)
          .as('x'),
      )
      .select(['utc_day', 'shift', (eb) => eb.fn.countAll<number>().as('messages')])
      .groupBy(['utc_day', 'shift'])
      .execute();
  }

  /** Their recipients' figures, by UTC date, shift and operator. */
  function recipientsIn(accountId: string, day: LocalDay, start: string, end: string) {
    return db
      .selectFrom(
        db
          .selectFrom('recipients as r')
          .innerJoin('messages as m', 'm.id', 'r.message_id')
          .select([
            day.utcDay.as('utc_day'),
            day.shift.as('shift'),
            'r.operator',
            'r.message_id',
            'm.segments',
            'r.cost',
            // Refunded in full: a recipient that failed or expired before any carrier took it.
            sql<number>`case when r.status in ('failed', 'expired') and r.sent_at is null then r.cost else 0 end`.as(
              'refunded',
            ),
            sql<number>`case when r.status = 'delivered' then 1 else 0 end`.as('delivered'),
            sql<number>`case when r.status in ('failed', 'expired') then 1 else 0 end`.as('failed'),
          ])
          .where('r.account_id', '=', accountId)
          .where('r.created_at', '>=', start)
          .where('r.created_at', '<', end)
          .as('x'),
      )
      .select((eb) => [
        'utc_day',
        'shift',
        'operator',
        eb.fn.countAll<number>().as('recipients'),
        eb.fn.count<number>('message_id').distinct().as('messages'),
        eb.fn.sum<number>('segments').as('segments'),
        eb.fn.sum<number>('cost').as('cost'),
        eb.fn.sum<number>('refunded').as('refunded'),
        eb.fn.sum<number>('delivered').as('delivered'),
        eb.fn.sum<number>('failed').as('failed'),
      ])
      .groupBy(['utc_day', 'shift', 'operator'])
      .execute();
  }

  return {
    async report(accountId: string, query: RangeQuery): Promise<UsageReport> {
      const range = reportRange(query);
      const currency = await currencyOf(db, accountId);
      const messageDay = localDay(range.spans, 'messages.created_at');
      const recipientDay = localDay(range.spans, 'r.created_at');

      // A local date outside the range (clocks set back over midnight at its edge) counts on its nearest day.
      const first = utcMidnight(range.from);
      const dateOf = (row: { utc_day: string; shift: number }) => {
        const index = (utcMidnight(row.utc_day) - first) / DAY + Number(row.shift);
        return range.days[Math.min(Math.max(index, 0), range.days.length - 1)]!;
      };
      const days = new Map(range.days.map((date) => [date, zero()]));
      const operators = new Map<string | null, Sums>();
      const totals = zero();
      // Each row counts on its own day whichever window read it, and a message's recipients, created
      // with it, are read in the same window as it: the windows' figures add up.
      for (let from = range.start; from < range.end; from += WINDOW_MS) {
        if (from > range.start) await yieldToEventLoop();
        const [start, end] = [iso(from), iso(Math.min(from + WINDOW_MS, range.end))];
        for (const row of await messagesIn(accountId, messageDay, start, end)) {
          const n = Number(row.messages);
          add(days.get(dateOf(row))!, { messages: n });
          totals.messages += n;
        }
        for (const row of await recipientsIn(accountId, recipientDay, start, end)) {
          const sums = {
            recipients: Number(row.recipients),
            segments: Number(row.segments),
            delivered: Number(row.delivered),
            failed: Number(row.failed),
            spend_minor: Number(row.cost) - Number(row.refunded),
          };
          add(days.get(dateOf(row))!, sums);
          add(totals, sums);
          const operator = operators.get(row.operator) ?? zero();
          add(operator, { ...sums, messages: Number(row.messages) });
          operators.set(row.operator, operator);
        }
      }
      return {
        from: range.from,
        to: range.to,
        time_zone: range.timeZone,
        currency,
        days: [...days].map(([date, sums]) => ({ date, ...figures(sums) })),
        operators: [...operators]
          .sort(([a, x], [b, y]) => y.recipients - x.recipients || byName(a, b))
          .map(([operator, sums]) => ({ operator, ...figures(sums) })),
        totals: figures(totals),
      };
    },
  };
}

export type UsageReports = ReturnType<typeof createUsageReports>;

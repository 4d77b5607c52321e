import { sql } from 'kysely';
import { type Clock, iso } from '../clock';
import { DEFAULT_REPORT_TIME_ZONE } from '../domain/report-range';
import { dateIn, offsetSpans, startOfLocalDay, utcMidnight } from '../domain/time-zone';
import { GatewayError } from '../errors';
import { toMajor } from '../money';
import { dateOfGroup, localDay } from '../storage/local-day';
import type { Store } from '../storage/store';

const DAY_MS = 86_400_000;
/** The overview's longest window, and its chart's span, in days (of the zone it is asked for). */
export const USAGE_DAYS = 30;

export interface DailyVolume {
  /** YYYY-MM-DD, in the overview's time zone. */
  day: string;
  queued: number;
  sent: number;
  delivered: number;
  /** Failed or expired: did not arrive. */
  failed: number;
}

export interface UsageWindow {
  messages: number;
  recipients: number;
  /** Charged less refunded, in major units. */
  cost: number;
}

export interface UsageOverview {
  balance: number;
  currency: string;
  today: UsageWindow;
  last7Days: UsageWindow;
  last30Days: UsageWindow;
  /** Delivered over delivered + failed in the last 30 days; null when none has finished. */
  deliveryRate: number | null;
  /** Recipients per day and current status, oldest day first, every day of the window present. */
  daily: DailyVolume[];
  /** The commonest failure codes of the last 30 days, with one of their messages. */
  failures: { code: string; message: string | null; count: number }[];
}

const dayOf = (ms: number) => iso(ms).slice(0, 10);

/**
 * An account's usage at a glance (the dashboard's overview): five queries, whatever the volume. Today,
 * the last 7 and 30 days and the chart's days are calendar days in `timeZone`.
 */
export function createUsage({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  return {
    async overview(accountId: string, timeZone = DEFAULT_REPORT_TIME_ZONE): Promise<UsageOverview> {
      const now = clock.now();
      const today = utcMidnight(dateIn(now, timeZone));
      /** The window's local dates, oldest first: the chart's days. */
      const dates = Array.from({ length: USAGE_DAYS }, (_, d) =>
        dayOf(today - (USAGE_DAYS - 1 - d) * DAY_MS),
      );
      const since = [dates[USAGE_DAYS - 1]!, dates[USAGE_DAYS - 7]!, dates[0]!].map((date) =>
        iso(startOfLocalDay(date, timeZone)),
      ) as [string, string, string];
      const day = localDay(offsetSpans(timeZone, Date.parse(since[2]), now + DAY_MS), 'created_at');
      const account = await db
        .selectFrom('accounts')
        .select(['balance', 'currency'])
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (!account) throw new GatewayError('NOT_FOUND', `No account ${accountId}`);

      const counted = (from: string, value: 'one' | 'recipient_count') =>
        sql<number>`sum(case when created_at >= ${from} then ${value === 'one' ? sql`1` : sql.ref('recipient_count')} else 0 end)`;
      const messages = await db
        .selectFrom('messages')
        .select([
          counted(since[0], 'one').as('m0'),
          counted(since[1], 'one').as('m1'),
          counted(since[2], 'one').as('m2'),
          counted(since[0], 'recipient_count').as('r0'),
          counted(since[1], 'recipient_count').as('r1'),
          counted(since[2], 'recipient_count').as('r2'),
        ])
        .where('account_id', '=', accountId)
        .where('created_at', '>=', since[2])
        .executeTakeFirst();
      const spent = (from: string) =>
        sql<number>`sum(case when created_at >= ${from} then -amount else 0 end)`;
      const money = await db
        .selectFrom('ledger_entries')
        .select([spent(since[0]).as('c0'), spent(since[1]).as('c1'), spent(since[2]).as('c2')])
        .where('account_id', '=', accountId)
        .where('kind', 'in', ['send', 'refund'])
        .where('created_at', '>=', since[2])
        .executeTakeFirst();

      const byDay = await db
        .selectFrom(
          db
            .selectFrom('recipients')
            .select([day.utcDay.as('utc_day'), day.shift.as('shift'), 'status'])
            .where('account_id', '=', accountId)
            .where('created_at', '>=', since[2])
            .as('r'),
        )
        .select(['utc_day', 'shift', 'status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy(['utc_day', 'shift', 'status'])
        .execute();
      const daily = new Map<string, DailyVolume>(
        dates.map((date) => [date, { day: date, queued: 0, sent: 0, delivered: 0, failed: 0 }]),
      );
      for (const r of byDay) {
        const volume = daily.get(dateOfGroup(r));
        if (!volume) continue;
        // An expired recipient did not arrive: the chart and the delivery rate count it as failed.
        const status =
          r.status === 'expired'
            ? 'failed'
            : r.status === 'sent' || r.status === 'delivered' || r.status === 'failed'
              ? r.status
              : 'queued';
        volume[status] += Number(r.n);
      }
      const failures = await db
        .selectFrom('recipients')
        .select([
          sql<string>`coalesce(error_code, 'UNKNOWN')`.as('code'),
          (eb) => eb.fn.max('error_message').as('message'),
          (eb) => eb.fn.countAll<number>().as('n'),
        ])
        .where('account_id', '=', accountId)
        .where('status', 'in', ['failed', 'expired'])
        .where('created_at', '>=', since[2])
        .groupBy(sql`coalesce(error_code, 'UNKNOWN')`)
        .orderBy('n', 'desc')
        .orderBy('code')
        .limit(5)
        .execute();

      const days = [...daily.values()];
      const delivered = days.reduce((n, d) => n + d.delivered, 0);
      const failed = days.reduce((n, d) => n + d.failed, 0);
      const window = (i: 0 | 1 | 2): UsageWindow => ({
        messages: Number(messages?.[`m${i}`] ?? 0),
        recipients: Number(messages?.[`r${i}`] ?? 0),
        cost: toMajor(Number(money?.[`c${i}`] ?? 0)),
      });
      return {
        balance: toMajor(Number(account.balance)),
        currency: account.currency,
        today: window(0),
        last7Days: window(1),
        last30Days: window(2),
        deliveryRate: delivered + failed === 0 ? null : delivered / (delivered + failed),
        daily: days,
        failures: failures.map((f) => ({ code: f.code, message: f.message, count: Number(f.n) })),
      };
    },
  };
}

export type Usage = ReturnType<typeof createUsage>;

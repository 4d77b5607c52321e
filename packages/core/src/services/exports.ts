import { sql } from 'kysely';
import { iso } from '../clock';
import type { CsvCell } from '../domain/csv';
import { publicStatus } from '../domain/message-status';
import { type RangeQuery, reportRange } from '../domain/report-range';
import { localTimeWriter } from '../domain/time-zone';
import type { Logger } from '../logger';
import { toMajor } from '../money';
import type { Store } from '../storage/store';
import { currencyOf } from './accounts';
import { csvStream, type Keyset } from './csv-export';

/** Rows an export reads a statement. */
export const EXPORT_PAGE_ROWS = 1000;

const TIME = 'ISO 8601 in the range’s time zone, with its offset';

/** The delivery-report export's columns, in order, and what each holds. */
export const DELIVERY_REPORT_COLUMNS = {
  message_id: 'The message’s id (a send’s `message_id`)',
  campaign_id: 'The campaign it is part of; empty for a plain send',
  recipient: 'The recipient’s number, E.164',
  operator: 'The operator its number belongs to; empty when the operator table does not know it',
  status: '`scheduled`, `queued`, `sent`, `delivered`, `failed` or `expired`, as the status endpoint says',
  error_code: 'Why it failed or still waits (the carrier’s code or the gateway’s); empty: nothing went wrong',
  error_message: 'What the carrier or the gateway said; empty: nothing',
  sender_id: 'The sender ID recipients see',
  segments: 'SMS segments of its text',
  cost: 'What it costs in major units of `currency`: its segments at its price (refunded when it failed or expired before any carrier took it)',
  currency: 'ISO 4217',
  created_at: `When the send was accepted; ${TIME}`,
  sent_at: `When a carrier took it; empty: not yet; ${TIME}`,
  delivered_at: `When the carrier reported it delivered; empty: not delivered (yet); ${TIME}`,
  failed_at: `When it failed; empty: it has not; ${TIME}`,
  expired_at: `When it expired; empty: it has not; ${TIME}`,
} as const;

/** The ledger export's columns, in order, and what each holds. */
export const LEDGER_COLUMNS = {
  entry_id: 'The ledger entry’s id',
  created_at: `When the balance moved; ${TIME}`,
  kind: '`send` (a send or campaign charged), `refund`, `topup` or `initial` (the opening balance)',
  amount: 'Major units of `currency`: negative for a charge',
  balance_after: 'The balance this entry left, in major units',
  currency: 'ISO 4217',
  reference:
    'What it is for: the message id (a send), the campaign id (a campaign), the recipient id (a refund), `cancel:<campaign id>:…` (a campaign’s cancellation), the account id (the opening balance); empty for a top-up',
} as const;

/**
 * A page's rows of `table` by (created_at, id): from the range's start (the first page) or past the
 * last row of the page before (a row value the index seeks to), up to the range's end. Not both bounds
 * at once: beside the range's start, SQLite would seek to that and read every page before again.
 */
function pageWindow(table: string, range: { start: string; end: string }, key: Keyset | null) {
  const created = sql.ref(`${table}.created_at`);
  const from =
    key === null
      ? sql`${created} >= ${range.start}`
      : sql`(${created}, ${sql.ref(`${table}.id`)}) > (${key.created_at}, ${key.id})`;
  return sql<boolean>`${from} and ${created} < ${range.end}`;
}

/** A CSV file to answer: its name and its bytes. */
export interface CsvExport {
  filename: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * The account's delivery reports (one row per recipient) and ledger for a range of calendar days, as
 * streamed CSV (see `csvStream`): oldest first, times in the range's zone. Refusals (a bad range) and
 * a failure reading the first page reject before any byte is written.
 */
export function createExports({
  store,
  log,
  pageRows = EXPORT_PAGE_ROWS,
}: {
  store: Store;
  log: Logger;
  pageRows?: number;
}) {
  const { db } = store;

  async function exportOf<R extends Keyset, C extends string>(
    name: string,
    accountId: string,
    query: RangeQuery,
    columns: Record<C, string>,
    page: (range: { start: string; end: string }, after: Keyset | null, limit: number) => Promise<R[]>,
    values: (row: R, time: (at: string | null) => string | null) => Record<C, CsvCell>,
  ): Promise<CsvExport> {
    const range = reportRange(query);
    const bounds = { start: iso(range.start), end: iso(range.end) };
    const write = localTimeWriter(range.timeZone);
    const time = (at: string | null) => (at === null ? null : write(Date.parse(at)));
    const header = Object.keys(columns) as C[];
    const body = await csvStream(
      {
        header,
        page: (key, limit) => page(bounds, key, limit),
        cells: (row) => {
          const cells = values(row, time);
          return header.map((column) => cells[column]);
        },
      },
      {
        pageRows,
        onError: (e) =>
          log.error(`The ${name} export of ${accountId} failed after it started`, e, {
            account_id: accountId,
          }),
      },
    );
    return { filename: `${name}_${range.from}_${range.to}.csv`, body };
  }

  return {
    deliveryReports: (accountId: string, query: RangeQuery) =>
      exportOf(
        'delivery-reports',
        accountId,
        query,
        DELIVERY_REPORT_COLUMNS,
        (bounds, key, limit) =>
          db
            .selectFrom('recipients as r')
            .innerJoin('messages as m', 'm.id', 'r.message_id')
            .select([
              'r.id',
              'r.created_at',
              'r.message_id',
              'm.campaign_id',
              'r.phone',
              'r.operator',
              'r.status',
              'r.error_code',
              'r.error_message',
              'm.sender_id',
              'm.segments',
              'r.cost',
              'm.currency',
              'r.sent_at',
              'r.delivered_at',
              'r.failed_at',
              'r.expired_at',
            ])
            .where('r.account_id', '=', accountId)
            .where(pageWindow('r', bounds, key))
            .orderBy('r.created_at')
            .orderBy('r.id')
            .limit(limit)
            .execute(),
        (r, time) => ({
          message_id: r.message_id,
          campaign_id: r.campaign_id,
          recipient: r.phone,
          operator: r.operator,
          status: publicStatus(r.status),
          error_code: r.error_code,
          error_message: r.error_message,
          sender_id: r.sender_id,
          segments: Number(r.segments),
          cost: toMajor(Number(r.cost)),
          currency: r.currency,
          created_at: time(r.created_at),
          sent_at: time(r.sent_at),
          delivered_at: time(r.delivered_at),
          failed_at: time(r.failed_at),
          expired_at: time(r.expired_at),
        }),
      ),

    async ledger(accountId: string, query: RangeQuery) {
      const currency = await currencyOf(db, accountId);
      return exportOf(
        'ledger',
        accountId,
        query,
        LEDGER_COLUMNS,
        (bounds, key, limit) =>
          db
            .selectFrom('ledger_entries')
            .select(['id', 'created_at', 'kind', 'amount', 'balance_after', 'reference'])
            .where('account_id', '=', accountId)
            .where(pageWindow('ledger_entries', bounds, key))
            .orderBy('created_at')
            .orderBy('id')
            .limit(limit)
            .execute(),
        (l, time) => ({
          entry_id: l.id,
          created_at: time(l.created_at),
          kind: l.kind,
          amount: toMajor(Number(l.amount)),
          balance_after: toMajor(Number(l.balance_after)),
          currency,
          reference: l.reference,
        }),
      );
    },
  };
}

export type Exports = ReturnType<typeof createExports>;

import { foldKeyword } from '../domain/keywords';
import { normalizeServiceNumber } from '../domain/phone';
import { GatewayError } from '../errors';
import { countRows } from '../storage/count-rows';
import type { Store } from '../storage/store';
import type { InboundRow } from './inbound';
import { dateRange } from './messages';
import { offsetOf, type PageRequest, pagination } from './paging';

export interface InboundFilters extends PageRequest {
  /** The sender (read like numbers are kept). */
  from?: string | undefined;
  /** The number it came in on (read like numbers are kept). */
  to?: string | undefined;
  /** The matched keyword (folded). */
  keyword?: string | undefined;
  /** Received on or after (a date, or a date-time with an offset). */
  start_date?: string | undefined;
  /** Received up to (a date: the whole day). */
  end_date?: string | undefined;
}

type Listed = Pick<
  InboundRow,
  'id' | 'sender' | 'recipient' | 'body' | 'keyword' | 'received_at' | 'carrier_id' | 'in_reply_to'
>;

const LISTED = [
  'id',
  'sender',
  'recipient',
  'body',
  'keyword',
  'received_at',
  'carrier_id',
  'in_reply_to',
] as const;

/** An inbound message as the API shows it. */
export const inboundView = (m: Listed) => ({
  id: m.id,
  from: m.sender,
  to: m.recipient,
  text: m.body,
  keyword: m.keyword,
  received_at: m.received_at,
  carrier_id: m.carrier_id,
  in_reply_to: m.in_reply_to,
});

/** Reading inbound messages back: an account's own (the API), and the operator's view of all (the CLI). */
export function createInboundQueries({ store, defaultRegion }: { store: Store; defaultRegion: string }) {
  const { db } = store;
  const kept = (text: string) => normalizeServiceNumber(text, defaultRegion) ?? text.trim();

  return {
    /** The account's messages, newest first (`received_at`, then id), a page at a time. */
    async list(accountId: string, filters: InboundFilters) {
      const { start, end } = dateRange(filters);
      const q = db
        .selectFrom('inbound_messages')
        .where('account_id', '=', accountId)
        .$if(filters.from !== undefined, (q) => q.where('sender', '=', kept(filters.from!)))
        .$if(filters.to !== undefined, (q) => q.where('recipient', '=', kept(filters.to!)))
        .$if(filters.keyword !== undefined, (q) => q.where('keyword', '=', foldKeyword(filters.keyword!)))
        .$if(start !== null, (q) => q.where('received_at', '>=', start!))
        .$if(end !== null, (q) => q.where('received_at', '<', end!));
      const total = await countRows(q);
      const rows = await q
        .select(LISTED)
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(filters.per_page)
        .offset(offsetOf(filters))
        .execute();
      return { messages: rows.map(inboundView), pagination: pagination(filters, total) };
    },

    /** One of the account's messages; NOT_FOUND for another account's or an unassigned one. */
    async get(accountId: string, id: string) {
      const row = await db
        .selectFrom('inbound_messages')
        .select(LISTED)
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (!row) throw new GatewayError('NOT_FOUND', `No inbound message ${id}`);
      return inboundView(row);
    },
  };
}

export type InboundQueries = ReturnType<typeof createInboundQueries>;

/** How many messages the operator's listing shows: the newest. */
export const OPERATOR_INBOUND_LIMIT = 100;

/** The operator's view (the CLI): the newest inbound messages, of one account or unassigned, with their account. */
export function createInboundAdmin({ store }: { store: Store }) {
  return {
    async listInbound(options: { accountId?: string | undefined; unassigned?: boolean | undefined } = {}) {
      const rows = await store.db
        .selectFrom('inbound_messages')
        .select([...LISTED, 'account_id'])
        .$if(options.unassigned === true, (q) => q.where('account_id', 'is', null))
        .$if(options.accountId !== undefined, (q) => q.where('account_id', '=', options.accountId!))
        .orderBy('received_at', 'desc')
        .orderBy('id', 'desc')
        .limit(OPERATOR_INBOUND_LIMIT)
        .execute();
      return rows.map((r) => ({ ...inboundView(r), account_id: r.account_id }));
    },
  };
}

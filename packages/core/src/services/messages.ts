import { type Selectable, sql } from 'kysely';
import { filterBound } from '../domain/instant';
import {
  deriveMessageStatus,
  type MessageStatus,
  type PublicRecipientStatus,
  publicStatus,
} from '../domain/message-status';
import { searchDigits } from '../domain/phone';
import { GatewayError, invalidField } from '../errors';
import { toMajor } from '../money';
import { countRows } from '../storage/count-rows';
import type { RecipientsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';

type RecipientRow = Pick<
  Selectable<RecipientsTable>,
  | 'phone'
  | 'status'
  | 'sent_at'
  | 'delivered_at'
  | 'failed_at'
  | 'expired_at'
  | 'error_code'
  | 'error_message'
  | 'cost'
>;

function recipientView(r: RecipientRow) {
  return {
    phone: r.phone,
    status: publicStatus(r.status),
    cost: toMajor(Number(r.cost)),
    sent_at: r.sent_at,
    delivery_time: r.delivered_at,
    failed_at: r.failed_at,
    expired_at: r.expired_at,
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message },
  };
}

export interface ReportFilters extends PageRequest {
  start_date?: string | undefined;
  end_date?: string | undefined;
  status?: PublicRecipientStatus | undefined;
  /** Digits the recipient's number contains (the dashboard's search; `+` and leading zeros ignored). */
  phone?: string | undefined;
}

/** The creation-time range of a listing, from `start_date` and `end_date` (a date covers its whole day). */
function dateRange(filters: { start_date?: string | undefined; end_date?: string | undefined }) {
  const start = filterBound('start_date', filters.start_date);
  const end = filterBound('end_date', filters.end_date, true);
  if (start !== null && end !== null && start > end) throw invalidField('start_date', 'is after end_date');
  return { start, end };
}

export interface MessageFilters extends PageRequest {
  status?: MessageStatus | undefined;
  campaign_id?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
  sender_id?: string | undefined;
}

/** Reading messages back: one message's status, and the delivery report listing. Always scoped to an account. */
export function createMessageQueries({ store }: { store: Store }) {
  const { db } = store;

  async function load(accountId: string, messageId: string) {
    const message = await db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!message) throw new GatewayError('NOT_FOUND', `No message ${messageId}`);
    const recipients = await db
      .selectFrom('recipients')
      .select([
        'phone',
        'operator',
        'status',
        'attempts',
        'carrier_id',
        'created_at',
        'sent_at',
        'delivered_at',
        'failed_at',
        'expired_at',
        'error_code',
        'error_message',
        'cost',
      ])
      .where('message_id', '=', messageId)
      .orderBy('phone')
      .execute();
    return { message, recipients };
  }

  return {
    async status(accountId: string, messageId: string) {
      const { message, recipients } = await load(accountId, messageId);
      const status = deriveMessageStatus(recipients.map((r) => r.status));
      const deliveredAt = recipients.map((r) => r.delivered_at).filter((d): d is string => d !== null);
      return {
        message_id: message.id,
        campaign_id: message.campaign_id,
        status,
        delivery_time: status === 'delivered' ? deliveredAt.sort().at(-1)! : null,
        sender_id: message.sender_id,
        message: message.body,
        encoding: message.encoding,
        segments: message.segments,
        cost: toMajor(Number(message.cost)),
        currency: message.currency,
        created_at: message.created_at,
        schedule_time: message.schedule_time,
        valid_until: message.valid_until,
        recipients: recipients.map(recipientView),
      };
    },

    /** One message with each recipient's whole story (carrier, attempts, times): the dashboard's timeline. */
    timeline: load,

    /**
     * One row per message, newest first (then by id), with its recipients counted by status and its
     * status derived from them as `status` derives it (in SQL, so the filter and the paging agree).
     */
    async list(accountId: string, filters: MessageFilters) {
      const { start, end } = dateRange(filters);
      const n = (statuses: string[]) =>
        sql<number>`sum(case when r.status in (${sql.join(statuses)}) then 1 else 0 end)`;
      const counted = db
        .selectFrom('messages as m')
        .innerJoin('recipients as r', 'r.message_id', 'm.id')
        .where('m.account_id', '=', accountId)
        .$if(start !== null, (q) => q.where('m.created_at', '>=', start!))
        .$if(end !== null, (q) => q.where('m.created_at', '<', end!))
        .$if(filters.sender_id !== undefined, (q) => q.where('m.sender_id', '=', filters.sender_id!))
        .$if(filters.campaign_id !== undefined, (q) => q.where('m.campaign_id', '=', filters.campaign_id!))
        .groupBy('m.id')
        .select([
          'm.id',
          'm.campaign_id',
          'm.sender_id',
          'm.body',
          'm.encoding',
          'm.segments',
          'm.cost',
          'm.currency',
          'm.recipient_count',
          'm.created_at',
          'm.schedule_time',
          n(['scheduled']).as('n_scheduled'),
          n(['queued', 'sending']).as('n_queued'),
          n(['sent']).as('n_sent'),
          n(['delivered']).as('n_delivered'),
          n(['failed']).as('n_failed'),
          n(['expired']).as('n_expired'),
        ]);
      // As deriveMessageStatus decides it.
      const derived = sql<MessageStatus>`case when a.n_scheduled > 0 then 'scheduled' when a.n_queued > 0 then 'queued' when a.n_sent > 0 then 'sent' when a.n_expired > 0 and a.n_delivered = 0 and a.n_failed = 0 then 'expired' when a.n_delivered = 0 then 'failed' when a.n_failed + a.n_expired > 0 then 'partially_delivered' else 'delivered' end`;
      const rows = db
        .selectFrom(counted.as('a'))
        .$if(filters.status !== undefined, (q) => q.where(derived, '=', filters.status!));
      const total = await countRows(rows);
      const page = await rows
        .selectAll('a')
        .select(derived.as('status'))
        .orderBy('a.created_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(filters.per_page)
        .offset(offsetOf(filters))
        .execute();
      return {
        messages: page.map((m) => ({
          message_id: m.id,
          campaign_id: m.campaign_id,
          status: m.status,
          sender_id: m.sender_id,
          message: m.body,
          encoding: m.encoding,
          segments: Number(m.segments),
          recipients: Number(m.recipient_count),
          recipient_statuses: {
            scheduled: Number(m.n_scheduled),
            queued: Number(m.n_queued),
            sent: Number(m.n_sent),
            delivered: Number(m.n_delivered),
            failed: Number(m.n_failed),
            expired: Number(m.n_expired),
          },
          cost: toMajor(Number(m.cost)),
          currency: m.currency,
          created_at: m.created_at,
          schedule_time: m.schedule_time,
        })),
        pagination: pagination(filters, total),
      };
    },

    /** One report per recipient, newest first, filtered by the message's creation time and the recipient's status. */
    async deliveryReports(accountId: string, filters: ReportFilters) {
      const { start, end } = dateRange(filters);
      let q = db
        .selectFrom('recipients as r')
        .innerJoin('messages as m', 'm.id', 'r.message_id')
        .where('r.account_id', '=', accountId);
      if (start !== null) q = q.where('r.created_at', '>=', start);
      if (end !== null) q = q.where('r.created_at', '<', end);
      const digits = filters.phone === undefined ? '' : searchDigits(filters.phone);
      if (digits) {
        if (!/^\d+$/.test(digits))
          throw invalidField('phone', 'takes digits only', 'A phone number search takes digits only');
        q = q.where('r.phone', 'like', `%${digits}%`);
      }
      if (filters.status === 'queued') q = q.where('r.status', 'in', ['queued', 'sending']);
      else if (filters.status !== undefined) q = q.where('r.status', '=', filters.status);

      const total = await countRows(q);
      const rows = await q
        .select([
          'r.message_id',
          'm.campaign_id',
          'm.sender_id',
          'm.segments',
          'm.currency',
          'r.created_at',
          'r.phone',
          'r.status',
          'r.sent_at',
          'r.delivered_at',
          'r.failed_at',
          'r.expired_at',
          'r.error_code',
          'r.error_message',
          'r.cost',
        ])
        .orderBy('r.created_at', 'desc')
        .orderBy('r.id', 'desc')
        .limit(filters.per_page)
        .offset(offsetOf(filters))
        .execute();
      return {
        reports: rows.map((r) => ({
          message_id: r.message_id,
          campaign_id: r.campaign_id,
          sender_id: r.sender_id,
          segments: r.segments,
          currency: r.currency,
          created_at: r.created_at,
          ...recipientView(r),
        })),
        pagination: pagination(filters, total),
      };
    },
  };
}

import type { Selectable } from 'kysely';
import { filterBound } from '../domain/instant';
import {
  deriveMessageStatus,
  type MessageStatus,
  type PublicRecipientStatus,
  publicStatus,
  type RecipientStatus,
} from '../domain/message-status';
import { searchDigits } from '../domain/phone';
import { GatewayError, invalidField } from '../errors';
import { yieldToEventLoop } from '../event-loop';
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
export function dateRange(filters: { start_date?: string | undefined; end_date?: string | undefined }) {
  const start = filterBound('start_date', filters.start_date);
  const end = filterBound('end_date', filters.end_date, true);
  if (start !== null && end !== null && start > end) throw invalidField('start_date', 'is after end_date');
  return { start, end };
}

/** Messages a status-filtered listing reads between turns of the event loop (a few ms). */
const MESSAGES_PER_TURN = 500;

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
        traffic_class: message.traffic_class,
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
        reply_to: message.reply_to,
        recipients: recipients.map(recipientView),
      };
    },

    /** One message with each recipient's whole story (carrier, attempts, times): the dashboard's timeline. */
    timeline: load,

    /**
     * One row per message, newest first (then by id), with its recipients counted by status and its
     * status derived from them as `status` derives it. Filtered by status, the account's messages are
     * walked 500 at a time from the indexes (their counts read from `recipients_message_status`
     * alone), letting the event loop turn between them, so a large account's listing holds no one.
     */
    async list(accountId: string, filters: MessageFilters) {
      const { start, end } = dateRange(filters);
      const mine = (after?: { created_at: string; id: string }) =>
        db
          .selectFrom('messages')
          .where('account_id', '=', accountId)
          .$if(filters.campaign_id !== undefined, (q) => q.where('campaign_id', '=', filters.campaign_id!))
          .$if(start !== null, (q) => q.where('created_at', '>=', start!))
          .$if(end !== null, (q) => q.where('created_at', '<', end!))
          .$if(filters.sender_id !== undefined, (q) => q.where('sender_id', '=', filters.sender_id!))
          // A row value, so the index seeks to it instead of scanning from the newest.
          .$if(after !== undefined, (q) =>
            q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after!.created_at, after!.id))),
          )
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc');
      /** Recipients by status of each message `ids` selects. */
      const countsOf = async (ids: readonly string[] | ReturnType<typeof mine>) => {
        const rows = await db
          .selectFrom('recipients')
          .select(['message_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
          .where('message_id', 'in', Array.isArray(ids) ? ids : (ids as ReturnType<typeof mine>).select('id'))
          .groupBy(['message_id', 'status'])
          .execute();
        const counts = new Map<string, Map<RecipientStatus, number>>();
        for (const r of rows) {
          const of = counts.get(r.message_id) ?? new Map<RecipientStatus, number>();
          of.set(r.status, Number(r.n));
          counts.set(r.message_id, of);
        }
        return counts;
      };
      const statusOf = (counts: Map<RecipientStatus, number> | undefined) =>
        deriveMessageStatus([...(counts?.keys() ?? [])]);

      let ids: string[];
      let total: number;
      if (filters.status === undefined) {
        total = await countRows(mine().clearOrderBy());
        ids = (await mine().select('id').limit(filters.per_page).offset(offsetOf(filters)).execute()).map(
          (m) => m.id,
        );
      } else {
        ids = [];
        total = 0;
        const skip = offsetOf(filters);
        for (let after: { created_at: string; id: string } | undefined; ; ) {
          const batch = mine(after).limit(MESSAGES_PER_TURN);
          const [messages, counts] = await Promise.all([
            batch.select(['id', 'created_at']).execute(),
            countsOf(batch),
          ]);
          for (const m of messages)
            if (statusOf(counts.get(m.id)) === filters.status) {
              if (total >= skip && ids.length < filters.per_page) ids.push(m.id);
              total++;
            }
          if (messages.length < MESSAGES_PER_TURN) break;
          after = messages.at(-1);
          await yieldToEventLoop();
        }
      }
      const [rows, counts] =
        ids.length === 0
          ? [[], new Map()]
          : await Promise.all([
              db
                .selectFrom('messages')
                .select([
                  'id',
                  'campaign_id',
                  'sender_id',
                  'body',
                  'encoding',
                  'segments',
                  'cost',
                  'currency',
                  'recipient_count',
                  'created_at',
                  'schedule_time',
                  'traffic_class',
                ])
                .where('id', 'in', ids)
                .orderBy('created_at', 'desc')
                .orderBy('id', 'desc')
                .execute(),
              countsOf(ids),
            ]);
      return {
        messages: rows.map((m) => {
          const of = counts.get(m.id);
          const n = (...statuses: RecipientStatus[]) =>
            statuses.reduce((sum, st) => sum + (of?.get(st) ?? 0), 0);
          return {
            message_id: m.id,
            campaign_id: m.campaign_id,
            traffic_class: m.traffic_class,
            status: statusOf(of),
            sender_id: m.sender_id,
            message: m.body,
            encoding: m.encoding,
            segments: Number(m.segments),
            recipients: Number(m.recipient_count),
            recipient_statuses: {
              scheduled: n('scheduled'),
              queued: n('queued', 'sending'),
              sent: n('sent'),
              delivered: n('delivered'),
              failed: n('failed'),
              expired: n('expired'),
            },
            cost: toMajor(Number(m.cost)),
            currency: m.currency,
            created_at: m.created_at,
            schedule_time: m.schedule_time,
          };
        }),
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

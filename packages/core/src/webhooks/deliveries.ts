import type { Selectable } from 'kysely';
import { type Clock, iso } from '../clock';
import { GatewayError } from '../errors';
import { offsetOf, type PageRequest, pagination } from '../services/paging';
import { countRows } from '../storage/count-rows';
import type { WebhookDeliveryStatus, WebhookEventsTable } from '../storage/schema';
import type { Store } from '../storage/store';

/** One webhook event as an admin sees it: what it reports, where it goes and how its delivery went. */
export interface WebhookDeliveryView {
  id: string;
  message_id: string;
  recipient_id: string;
  event: WebhookEventsTable['event'];
  /** The send's `webhook_url`; null: the account's URL. */
  url: string | null;
  status: WebhookDeliveryStatus;
  attempts: number;
  last_http_status: number | null;
  last_error: string | null;
  /** When it is tried next, while pending. */
  next_attempt_at: string | null;
  /** Retried until then. */
  retry_until: string;
  delivered_at: string | null;
  created_at: string;
}

const view = (e: Selectable<WebhookEventsTable>): WebhookDeliveryView => ({
  id: e.id,
  message_id: e.message_id,
  recipient_id: e.recipient_id,
  event: e.event,
  url: e.url,
  status: e.status,
  attempts: Number(e.attempts),
  last_http_status: e.last_http_status === null ? null : Number(e.last_http_status),
  last_error: e.last_error,
  next_attempt_at: e.status === 'pending' ? e.next_attempt_at : null,
  retry_until: e.expires_at,
  delivered_at: e.delivered_at,
  created_at: e.created_at,
});

/** The webhook deliveries of an account: listed, read and re-sent (each query scoped to the account). */
export function createWebhookDeliveries(deps: { store: Store; clock: Clock; retryForMs: number }) {
  const { db } = deps.store;
  const mine = (accountId: string) => db.selectFrom('webhook_events').where('account_id', '=', accountId);

  async function get(accountId: string, id: string): Promise<WebhookDeliveryView> {
    const row = await mine(accountId).selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No webhook delivery ${id}`);
    return view(row);
  }

  return {
    get,

    /** Newest first, filtered by delivery status and message. */
    async list(
      accountId: string,
      query: PageRequest & { status?: WebhookDeliveryStatus | undefined; message_id?: string | undefined },
    ) {
      const filtered = mine(accountId)
        .$if(query.status !== undefined, (q) => q.where('status', '=', query.status!))
        .$if(query.message_id !== undefined, (q) => q.where('message_id', '=', query.message_id!));
      const total = await countRows(filtered);
      const rows = await filtered
        .selectAll()
        .orderBy('id', 'desc')
        .limit(query.per_page)
        .offset(offsetOf(query))
        .execute();
      return { deliveries: rows.map(view), pagination: pagination(query, total) };
    },

    /**
     * Sends an event again (as it is now: same event id, current target and secrets): due at once,
     * with a fresh retry window. One already being attempted is refused with CONFLICT.
     */
    async resend(accountId: string, id: string): Promise<WebhookDeliveryView> {
      const now = deps.clock.now();
      const row = await db
        .updateTable('webhook_events')
        .set({
          status: 'pending',
          next_attempt_at: iso(now),
          expires_at: iso(now + deps.retryForMs),
          updated_at: iso(now),
        })
        .where('account_id', '=', accountId)
        .where('id', '=', id)
        .where('status', '<>', 'in_progress')
        .returningAll()
        .executeTakeFirst();
      if (row) return view(row);
      const current = await get(accountId, id); // NOT_FOUND when not this account's
      throw new GatewayError('CONFLICT', 'This delivery is being attempted right now; try again shortly', {
        reason: 'delivery_in_progress',
        delivery_id: current.id,
      });
    },
  };
}

export type WebhookDeliveries = ReturnType<typeof createWebhookDeliveries>;

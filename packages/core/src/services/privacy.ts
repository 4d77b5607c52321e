import type { MifumoConfig } from '../config';
import { publicStatus } from '../domain/message-status';
import { phoneNumberField } from '../domain/phone';
import { toMajor } from '../money';
import type { Store } from '../storage/store';
import { eventView } from './consent/views';

/** Most entries of each kind one subject request returns (a number messaged more often is `truncated`). */
export const SUBJECT_MAX_ENTRIES = 10_000;

/**
 * What an account holds about one phone number, for its owner's access request (data protection law):
 * the contact, every message to it with its status, the messages it sent, its opt-out history and the
 * webhook events about it, in one document.
 */
export function createPrivacy(deps: { store: Store; config: MifumoConfig }) {
  const { db } = deps.store;
  const phoneOptions = {
    defaultRegion: deps.config.defaultRegion,
    strict: deps.config.messages.strictPhoneValidation,
  };
  /** One more than the cap is read: whether there was more. */
  const capped = <T>(rows: T[]) => ({
    rows: rows.slice(0, SUBJECT_MAX_ENTRIES),
    more: rows.length > SUBJECT_MAX_ENTRIES,
  });

  return {
    async subject(accountId: string, phoneNumber: string) {
      const phone = phoneNumberField(phoneNumber, phoneOptions);
      const [contact, sent, received, consent] = await Promise.all([
        db
          .selectFrom('contacts')
          .select(['id', 'name', 'phone', 'email', 'is_active', 'created_at', 'updated_at'])
          .where('account_id', '=', accountId)
          .where('phone', '=', phone)
          .executeTakeFirst(),
        db
          .selectFrom('recipients as r')
          .innerJoin('messages as m', 'm.id', 'r.message_id')
          .select([
            'r.id',
            'r.message_id',
            'r.status',
            'r.cost',
            'r.error_code',
            'r.created_at',
            'r.sent_at',
            'r.delivered_at',
            'r.failed_at',
            'm.sender_id',
            'm.body',
            'm.currency',
          ])
          .where('r.account_id', '=', accountId)
          .where('r.phone', '=', phone)
          .orderBy('r.created_at')
          .orderBy('r.id')
          .limit(SUBJECT_MAX_ENTRIES + 1)
          .execute(),
        db
          .selectFrom('inbound_messages')
          .select(['id', 'recipient', 'body', 'keyword', 'received_at'])
          .where('account_id', '=', accountId)
          .where('sender', '=', phone)
          .orderBy('received_at')
          .orderBy('id')
          .limit(SUBJECT_MAX_ENTRIES + 1)
          .execute(),
        db
          .selectFrom('consent_events')
          .selectAll()
          .where('account_id', '=', accountId)
          .where('phone', '=', phone)
          .orderBy('created_at')
          .orderBy('id')
          .limit(SUBJECT_MAX_ENTRIES + 1)
          .execute(),
      ]);
      const messages = capped(sent);
      const inbound = capped(received);
      const history = capped(consent);
      // The events about its messages and the messages it sent, looked up by their ids a page at a time.
      const about = [...messages.rows.map((r) => r.id), ...inbound.rows.map((r) => r.id)];
      const events: {
        id: string;
        event: string;
        status: string;
        message_id: string | null;
        created_at: string;
      }[] = [];
      for (let i = 0; i < about.length && events.length <= SUBJECT_MAX_ENTRIES; i += 500)
        events.push(
          ...(await db
            .selectFrom('webhook_events')
            .select(['id', 'event', 'status', 'message_id', 'created_at'])
            .where('account_id', '=', accountId)
            .where('recipient_id', 'in', about.slice(i, i + 500))
            .execute()),
        );
      const webhookEvents = capped(
        events.sort((a, b) => (a.created_at + a.id < b.created_at + b.id ? -1 : 1)),
      );
      return {
        phone_number: phone,
        contact: contact
          ? {
              id: contact.id,
              name: contact.name,
              phone_number: contact.phone,
              email: contact.email,
              is_active: contact.is_active === 1,
              created_at: contact.created_at,
              updated_at: contact.updated_at,
            }
          : null,
        messages: messages.rows.map((r) => ({
          message_id: r.message_id,
          recipient_id: r.id,
          sender_id: r.sender_id,
          message: r.body,
          status: publicStatus(r.status),
          error_code: r.error_code,
          cost: toMajor(Number(r.cost)),
          currency: r.currency,
          created_at: r.created_at,
          sent_at: r.sent_at,
          delivered_at: r.delivered_at,
          failed_at: r.failed_at,
        })),
        inbound: inbound.rows.map((r) => ({
          inbound_id: r.id,
          to: r.recipient,
          text: r.body,
          keyword: r.keyword,
          received_at: r.received_at,
        })),
        opt_out_history: history.rows.map(eventView),
        webhook_events: webhookEvents.rows,
        truncated: {
          messages: messages.more,
          inbound: inbound.more,
          opt_out_history: history.more,
          webhook_events: webhookEvents.more,
        },
      };
    },
  };
}

export type Privacy = ReturnType<typeof createPrivacy>;

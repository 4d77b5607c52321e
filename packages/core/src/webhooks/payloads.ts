import type { Kysely } from 'kysely';
import { toMajor } from '../money';
import type { Database, StatusEventName } from '../storage/schema';
import type { Claimed } from './claims';

/** The seed's payload: one recipient's status change, with the message's sender ID and that recipient's cost. */
export interface WebhookPayload {
  message_id: string;
  status: StatusEventName;
  recipients: { phone: string; status: StatusEventName; delivery_time: string }[];
  metadata: { sender_id: string; cost: number; currency: string };
}

/** A `message.received` event's payload: a message a subscriber sent to one of the account's numbers. */
export interface ReceivedPayload {
  event: 'message.received';
  inbound_id: string;
  from: string;
  to: string;
  text: string;
  /** The number's keyword it matched; null when the number has none. */
  keyword: string | null;
  received_at: string;
  /** The account's latest message to `from` within 7 days before; null: none. */
  in_reply_to: string | null;
}

/** What an attempt needs beyond the event: a status event's recipient, message and sending key, or an inbound message. */
export type EventDetails = StatusDetails | InboundDetails;

interface InboundDetails {
  kind: 'received';
  sender: string;
  recipient: string;
  body: string;
  keyword: string | null;
  received_at: string;
  in_reply_to: string | null;
}

interface StatusDetails {
  kind: 'status';
  phone: string;
  cost: number | string;
  sender_id: string;
  currency: string;
  api_key_id: string | null;
  sealed_key: string | null;
  /** The key's end (its expiry, or a rotation's grace); from then on it is not sent. */
  key_expires_at: string | null;
}

/**
 * What the attempts of the events `events` need (recipient, message, sealed key; or the inbound
 * message), in a query per kind.
 */
export async function loadDetails(
  db: Kysely<Database>,
  events: readonly Claimed[],
): Promise<Map<string, EventDetails>> {
  const received = events.filter((e) => e.event === 'received').map((e) => e.id);
  const status = events.filter((e) => e.event !== 'received').map((e) => e.id);
  const [statusRows, inboundRows] = await Promise.all([
    status.length === 0
      ? []
      : db
          .selectFrom('webhook_events as e')
          .innerJoin('recipients as r', 'r.id', 'e.recipient_id')
          .innerJoin('messages as m', 'm.id', 'e.message_id')
          .leftJoin('api_keys as k', 'k.id', 'm.api_key_id')
          .select([
            'e.id',
            'r.phone',
            'r.cost',
            'm.sender_id',
            'm.currency',
            'm.api_key_id',
            'k.sealed_key',
            'k.expires_at as key_expires_at',
          ])
          .where('e.id', 'in', status)
          .execute(),
    received.length === 0
      ? []
      : db
          .selectFrom('webhook_events as e')
          .innerJoin('inbound_messages as i', 'i.id', 'e.recipient_id')
          .select([
            'e.id',
            'i.sender',
            'i.recipient',
            'i.body',
            'i.keyword',
            'i.received_at',
            'i.in_reply_to',
          ])
          .where('e.id', 'in', received)
          .execute(),
  ]);
  return new Map<string, EventDetails>([
    ...statusRows.map((r) => [r.id, { kind: 'status' as const, ...r }] as const),
    ...inboundRows.map((r) => [r.id, { kind: 'received' as const, ...r }] as const),
  ]);
}

/** The body an event's receiver gets. */
export function payloadOf(e: Claimed, extra: EventDetails): WebhookPayload | ReceivedPayload {
  if (extra.kind === 'received')
    return {
      event: 'message.received',
      inbound_id: e.recipient_id,
      from: extra.sender,
      to: extra.recipient,
      text: extra.body,
      keyword: extra.keyword,
      received_at: extra.received_at,
      in_reply_to: extra.in_reply_to,
    };
  const status = e.event as StatusEventName;
  return {
    message_id: e.message_id,
    status,
    recipients: [{ phone: extra.phone, status, delivery_time: e.occurred_at }],
    metadata: { sender_id: extra.sender_id, cost: toMajor(Number(extra.cost)), currency: extra.currency },
  };
}

/**
 * Where one recipient of a message stands. `sending` is internal (claimed by a dispatcher) and shows as
 * `queued`. `expired` is final: no final receipt came within the receipt timeout (the carrier took it,
 * so it is charged), or it was not submitted within the send's validity period (refunded).
 */
export type RecipientStatus =
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'failed'
  | 'expired';

export type PublicRecipientStatus = Exclude<RecipientStatus, 'sending'>;

export type MessageStatus = PublicRecipientStatus | 'partially_delivered';

export const PUBLIC_STATUSES: readonly PublicRecipientStatus[] = [
  'scheduled',
  'queued',
  'sent',
  'delivered',
  'failed',
  'expired',
];

/** Every status a message (not a recipient) can show. */
export const MESSAGE_STATUSES: readonly MessageStatus[] = [...PUBLIC_STATUSES, 'partially_delivered'];

export const publicStatus = (s: RecipientStatus): PublicRecipientStatus => (s === 'sending' ? 'queued' : s);

/**
 * A message's status, derived from its recipients: the least advanced pending state while any is pending,
 * else `delivered` or `expired` when all agree, `failed` when none was delivered, else
 * `partially_delivered`.
 */
export function deriveMessageStatus(statuses: readonly RecipientStatus[]): MessageStatus {
  const seen = new Set(statuses.map(publicStatus));
  for (const pending of ['scheduled', 'queued', 'sent'] as const) if (seen.has(pending)) return pending;
  if (seen.size === 1 && seen.has('expired')) return 'expired';
  if (!seen.has('delivered')) return 'failed';
  if (seen.size > 1) return 'partially_delivered';
  return 'delivered';
}

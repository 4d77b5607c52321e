/** Where one recipient of a message stands. `sending` is internal (claimed by a dispatcher) and shows as `queued`. */
export type RecipientStatus = 'scheduled' | 'queued' | 'sending' | 'sent' | 'delivered' | 'failed';

export type PublicRecipientStatus = Exclude<RecipientStatus, 'sending'>;

export type MessageStatus = PublicRecipientStatus | 'partially_delivered';

export const PUBLIC_STATUSES: readonly PublicRecipientStatus[] = [
  'scheduled',
  'queued',
  'sent',
  'delivered',
  'failed',
];

/** Every status a message (not a recipient) can show. */
export const MESSAGE_STATUSES: readonly MessageStatus[] = [...PUBLIC_STATUSES, 'partially_delivered'];

export const publicStatus = (s: RecipientStatus): PublicRecipientStatus => (s === 'sending' ? 'queued' : s);

/**
 * A message's status, derived from its recipients: the least advanced pending state while any is pending,
 * else `delivered` or `failed` when all agree, else `partially_delivered`.
 */
export function deriveMessageStatus(statuses: readonly RecipientStatus[]): MessageStatus {
  const seen = new Set(statuses.map(publicStatus));
  for (const pending of ['scheduled', 'queued', 'sent'] as const) if (seen.has(pending)) return pending;
  if (seen.size === 1 && seen.has('failed')) return 'failed';
  if (seen.has('failed')) return 'partially_delivered';
  return 'delivered';
}

import { iso } from '../../clock';
import { toMajor } from '../../money';
import type { CampaignsTable } from '../../storage/schema';

/** A campaign's recipients by where they are, and what was refunded (minor units). */
export interface Progress {
  queued: number;
  sent: number;
  delivered: number;
  expired: number;
  failed: number;
  cancelled: number;
  refunded: number;
  /** Recipients still on their way into the campaign's messages (counted in `queued` too). */
  staged: number;
}

export const NO_PROGRESS: Progress = {
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  expired: 0,
  cancelled: 0,
  refunded: 0,
  staged: 0,
};

/** A campaign as the API shows it: its stored row, its status from its progress at `now`. */
export function campaignView(c: CampaignsTable, p: Progress, now: number) {
  const pending = p.queued + p.sent;
  const status = c.cancelled_at
    ? 'cancelled'
    : p.staged > 0
      ? 'preparing'
      : p.queued === 0
        ? p.sent === 0
          ? 'completed'
          : 'sending'
        : (c.schedule_time !== null && c.schedule_time > iso(now)) ||
            // Held at acceptance (a pause without an end), and nothing has gone yet.
            (c.held_until_resumed === 1 && p.sent + p.delivered + p.failed + p.expired === 0)
          ? 'scheduled'
          : 'sending';
  return {
    id: c.id,
    name: c.name,
    message: c.template,
    sender_id: c.sender_id,
    audience: { type: c.audience, segment_id: c.segment_id },
    schedule_time: c.schedule_time,
    webhook_url: c.webhook_url,
    status: status as 'preparing' | 'scheduled' | 'sending' | 'completed' | 'cancelled',
    recipients: Number(c.recipient_count),
    traffic_class: c.traffic_class,
    deferred_until: c.deferred_until,
    held_until_resumed: c.held_until_resumed === 1,
    excluded: {
      inactive: Number(c.excluded_inactive),
      duplicates: Number(c.excluded_duplicates),
      opted_out: Number(c.excluded_opted_out),
    },
    progress: {
      queued: p.queued,
      sent: p.sent,
      delivered: p.delivered,
      failed: p.failed,
      expired: p.expired,
      cancelled: p.cancelled,
    },
    pending,
    cost: toMajor(Number(c.cost)),
    refunded: toMajor(p.refunded),
    currency: c.currency,
    created_at: c.created_at,
    cancelled_at: c.cancelled_at,
  };
}

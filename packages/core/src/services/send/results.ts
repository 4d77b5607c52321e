import { iso } from '../../clock';
import { toMajor, toMinor } from '../../money';
import type { Draft } from './draft';

/** A draft's promotional deferral, as sends, quotes and campaigns answer it. */
export const deferral = (draft: Draft) => ({
  deferred_until: draft.deferredUntil === null ? null : iso(draft.deferredUntil),
  held_until_resumed: draft.held,
});

import type { QuoteResult, SendResult, Suppressed } from './types';

/** A stored send as the API answers it. */
export function sendResult(draft: Draft, messageId: string, currency: string): SendResult {
  const { analysis, scheduledAt } = draft;
  return {
    message_id: messageId,
    recipients: draft.recipients.map((r) => r.phone),
    status: scheduledAt === null && !draft.held ? 'queued' : 'scheduled',
    sender_id: draft.senderId,
    cost: toMajor(draft.total),
    currency,
    segments: analysis.segments,
    encoding: analysis.encoding,
    schedule_time: scheduledAt === null ? null : iso(scheduledAt),
    ...deferral(draft),
    valid_until: draft.validUntil === null ? null : iso(draft.validUntil),
    recipient_costs: draft.recipients.map((r) => ({ phone: r.phone, cost: toMajor(r.cost) })),
    replacements: analysis.replacements,
    national_language: analysis.nationalLanguage,
    traffic_class: draft.trafficClass,
    suppressed: suppressedList(draft),
  };
}

/** The numbers a draft left out, as a send and a quote list them. */
const suppressedList = (draft: Draft): Suppressed[] =>
  draft.suppressed.map((phone) => ({ phone, reason: 'opted_out' }));

/** What a send would do and cost, and whether `balance` (major units) covers it. */
export function quoteResult(draft: Draft, currency: string, balance: number): QuoteResult {
  const { analysis, scheduledAt } = draft;
  return {
    recipients: draft.recipients.map((r) => r.phone),
    sender_id: draft.senderId,
    encoding: analysis.encoding,
    units: analysis.units,
    segments: analysis.segments,
    parts: analysis.parts,
    non_gsm_characters: analysis.nonGsmCharacters,
    replacements: analysis.replacements,
    national_language: analysis.nationalLanguage,
    recipient_costs: draft.recipients.map((r) => ({
      phone: r.phone,
      operator: r.operator,
      cost: toMajor(r.cost),
    })),
    cost: toMajor(draft.total),
    currency,
    balance,
    balance_sufficient: toMinor(balance) >= draft.total,
    schedule_time: scheduledAt === null ? null : iso(scheduledAt),
    ...deferral(draft),
    traffic_class: draft.trafficClass,
    suppressed: suppressedList(draft),
  };
}

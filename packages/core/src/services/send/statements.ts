import type { CompiledQuery } from 'kysely';
import { iso } from '../../clock';
import { newId } from '../../ids';
import { createRowInserter } from '../../storage/insert-rows';
import type { Store } from '../../storage/store';
import { queryTemplate } from '../../storage/template';
import { createLedger } from '../ledger';
import type { Draft } from './draft';

export const MESSAGE_COLUMNS = [
  'id',
  'account_id',
  'sender_id',
  'body',
  'encoding',
  'segments',
  'national_language',
  'cost',
  'currency',
  'recipient_count',
  'schedule_time',
  'valid_until',
  'webhook_url',
  'api_key_id',
  'campaign_id',
  'traffic_class',
  'created_at',
] as const;

/** Only what a new recipient has; the rest is NULL or the column default (attempts 0) until it moves. */
export const RECIPIENT_COLUMNS = [
  'id',
  'message_id',
  'account_id',
  'phone',
  'operator',
  'cost',
  'status',
  'next_attempt_at',
  'created_at',
  'updated_at',
] as const;

export interface StoredSend {
  draft: Draft;
  accountId: string;
  messageId: string;
  currency: string;
  webhookUrl: string | null;
  /** The API key that sent it, whose webhooks carry it; null in process. */
  apiKeyId: string | null;
  /** When it was accepted. */
  now: number;
}

/** The `messages` row of a stored draft (a campaign's staging sets its `campaign_id`). */
export function messageRow({ draft, accountId, messageId, currency, webhookUrl, apiKeyId, now }: StoredSend) {
  return {
    id: messageId,
    account_id: accountId,
    sender_id: draft.senderId,
    body: draft.analysis.text,
    encoding: draft.analysis.encoding,
    segments: draft.analysis.segments,
    national_language: draft.analysis.nationalLanguage,
    cost: draft.total,
    currency,
    recipient_count: draft.recipients.length,
    schedule_time: draft.scheduledAt === null ? null : iso(draft.scheduledAt),
    valid_until: draft.validUntil === null ? null : iso(draft.validUntil),
    webhook_url: webhookUrl,
    api_key_id: apiKeyId,
    campaign_id: null as string | null,
    traffic_class: draft.trafficClass,
    created_at: iso(now),
  };
}

/** The `recipients` rows of a stored draft's recipients from `start` to before `end` (all by default), new ids each. */
export function recipientRows(
  { draft, accountId, messageId, now }: StoredSend,
  start = 0,
  end = draft.recipients.length,
) {
  const at = iso(now);
  // Held (a pause without an end): due as asked, the dispatcher puts it back until the resume.
  const status = draft.scheduledAt === null && !draft.held ? ('queued' as const) : ('scheduled' as const);
  const due = draft.scheduledAt === null ? at : iso(draft.scheduledAt);
  return draft.recipients.slice(start, end).map(({ phone, operator, cost }) => ({
    id: newId('rcp'),
    message_id: messageId,
    account_id: accountId,
    phone,
    operator,
    cost,
    status,
    next_attempt_at: due,
    created_at: at,
    updated_at: at,
  }));
}

/**
 * The statements that store a send's draft, to run all-or-nothing: the debit and its ledger row (a
 * debit past zero fails on the balance CHECK), the message, and one outbox row per recipient.
 */
export function createSendStatements(store: Store) {
  const { db } = store;
  const balanceChange = createLedger(db);
  // A send may answer an inbound message; a campaign's (staged) messages never do.
  const insertMessage = queryTemplate([...MESSAGE_COLUMNS, 'reply_to'], (p) =>
    db.insertInto('messages').values(p),
  );
  const insertRecipients = createRowInserter(db, 'recipients', RECIPIENT_COLUMNS, store.maxBindParams);

  return {
    send: (stored: StoredSend): CompiledQuery[] => [
      ...balanceChange({
        accountId: stored.accountId,
        amount: -stored.draft.total,
        kind: 'send',
        reference: stored.messageId,
        at: iso(stored.now),
      }),
      insertMessage({ ...messageRow(stored), reply_to: stored.draft.replyTo }),
      ...insertRecipients(recipientRows(stored)),
    ],
  };
}

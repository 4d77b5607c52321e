import type { CompiledQuery } from 'kysely';
import { iso } from '../../clock';
import { newId } from '../../ids';
import { createRowInserter } from '../../storage/insert-rows';
import type { Store } from '../../storage/store';
import { queryTemplate } from '../../storage/template';
import { createLedger } from '../ledger';
import type { Draft } from './draft';

const MESSAGE_COLUMNS = [
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
  'created_at',
] as const;

/** Only what a new recipient has; the rest is NULL or the column default (attempts 0) until it moves. */
const RECIPIENT_COLUMNS = [
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
  /** The campaign the message is part of (its messages share the campaign's one debit). */
  campaignId?: string | null;
}

/**
 * The statements that store a draft, to run all-or-nothing: `send` gives the debit and its ledger row
 * (a debit past zero fails on the balance CHECK), the message, and one outbox row per recipient;
 * `message` and `recipients` those alone (a campaign debits once for all its messages).
 */
export function createSendStatements(store: Store) {
  const { db } = store;
  const balanceChange = createLedger(db);
  const insertMessage = queryTemplate(MESSAGE_COLUMNS, (p) => db.insertInto('messages').values(p));
  const insertRecipients = createRowInserter(db, 'recipients', RECIPIENT_COLUMNS, store.maxBindParams);

  function message({
    draft,
    accountId,
    messageId,
    currency,
    webhookUrl,
    apiKeyId,
    now,
    campaignId = null,
  }: StoredSend): CompiledQuery {
    return insertMessage({
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
      campaign_id: campaignId,
      created_at: iso(now),
    });
  }

  /** The draft's recipients from `start` to before `end` (all by default). */
  function recipients(
    { draft, accountId, messageId, now }: StoredSend,
    start = 0,
    end = draft.recipients.length,
  ): CompiledQuery[] {
    const at = iso(now);
    const status = draft.scheduledAt === null ? 'queued' : 'scheduled';
    const due = draft.scheduledAt === null ? at : iso(draft.scheduledAt);
    return insertRecipients(
      draft.recipients.slice(start, end).map(({ phone, operator, cost }) => ({
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
      })),
    );
  }

  return {
    send: (stored: StoredSend): CompiledQuery[] => [
      ...balanceChange({
        accountId: stored.accountId,
        amount: -stored.draft.total,
        kind: 'send',
        reference: stored.messageId,
        at: iso(stored.now),
      }),
      message(stored),
      ...recipients(stored),
    ],
    message,
    recipients,
  };
}

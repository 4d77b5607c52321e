import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { foldForSearch } from '../domain/search-fold';
import type { Database } from './schema';

/** Migrations live in code (no file system), so the core bundles for Workers as well as Node. */
const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('balance', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addCheckConstraint('accounts_balance_nonnegative', sql`balance >= 0`)
        .execute();

      await db.schema
        .createTable('sender_ids')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sender_ids_pk', ['account_id', 'sender_id'])
        .execute();

      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('permissions', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema.createIndex('api_keys_account').on('api_keys').column('account_id').execute();

      await db.schema
        .createTable('messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('segments', 'integer', (c) => c.notNull())
        .addColumn('cost', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('recipient_count', 'integer', (c) => c.notNull())
        .addColumn('schedule_time', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('messages_account_created')
        .on('messages')
        .columns(['account_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('recipients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('operator', 'text')
        .addColumn('cost', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('claim_token', 'text')
        .addColumn('claim_expires_at', 'text')
        .addColumn('carrier_id', 'text')
        .addColumn('carrier_message_id', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('failed_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('recipients_message').on('recipients').column('message_id').execute();
      await db.schema
        .createIndex('recipients_account_created')
        .on('recipients')
        .columns(['account_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('recipients_due')
        .on('recipients')
        .columns(['status', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('carrier_refs')
        .addColumn('carrier_id', 'text', (c) => c.notNull())
        .addColumn('carrier_message_id', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull().references('recipients.id'))
        .addPrimaryKeyConstraint('carrier_refs_pk', ['carrier_id', 'carrier_message_id'])
        .execute();

      await db.schema
        .createTable('ledger_entries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addColumn('balance_after', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('ledger_entries_once', ['kind', 'reference'])
        .execute();
      await db.schema
        .createIndex('ledger_account')
        .on('ledger_entries')
        .columns(['account_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('is_active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('contacts_account_phone', ['account_id', 'phone'])
        .execute();
      await db.schema
        .createIndex('contacts_account_created')
        .on('contacts')
        .columns(['account_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('contact_tags')
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
        .execute();
      await db.schema
        .createIndex('contact_tags_account_tag')
        .on('contact_tags')
        .columns(['account_id', 'tag'])
        .execute();

      await db.schema
        .createTable('segments')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('criteria', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0002_encoding_options': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('accounts').addColumn('smart_encoding', 'integer').execute();
      await db.schema.alterTable('messages').addColumn('national_language', 'text').execute();
    },
  },
  '0003_rate_limits': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('rate_limits')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tat', 'double precision', (c) => c.notNull())
        .execute();
      for (const column of ['sms_per_minute', 'api_calls_per_hour', 'contact_ops_per_hour'])
        await db.schema.alterTable('accounts').addColumn(column, 'integer').execute();
    },
  },
  '0004_idempotency_keys': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('response', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'key'])
        .execute();
    },
  },
  '0005_held_reports': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('held_reports')
        .addColumn('carrier_id', 'text', (c) => c.notNull())
        .addColumn('carrier_message_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reported_at', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('held_reports_pk', ['carrier_id', 'carrier_message_id'])
        .execute();
    },
  },
  '0006_contact_search_fold': {
    // SQLite's lower() folds ASCII only: search compares text folded in code, stored beside it.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('contacts')
        .addColumn('search_name', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('contacts').addColumn('search_email', 'text').execute();
      const contacts = db as unknown as Kysely<Database>;
      const rows = await contacts.selectFrom('contacts').select(['id', 'name', 'email']).execute();
      for (const r of rows)
        await contacts
          .updateTable('contacts')
          .set({
            search_name: foldForSearch(r.name),
            search_email: r.email === null ? null : foldForSearch(r.email),
          })
          .where('id', '=', r.id)
          .execute();
    },
  },
  '0007_segment_counts': {
    // Member counts are kept with the contacts version they were counted at, and recounted only after a change.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('accounts')
        .addColumn('contacts_version', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('segments').addColumn('member_count', 'integer').execute();
      await db.schema.alterTable('segments').addColumn('counted_version', 'integer').execute();
    },
  },
  '0008_carrier_parts_and_inbound': {
    // Each part's report is kept, so a long message is delivered only when all its parts are.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('carrier_refs').addColumn('status', 'text').execute();
      await db.schema
        .createIndex('carrier_refs_recipient')
        .on('carrier_refs')
        .column('recipient_id')
        .execute();
      await db.schema
        .createTable('inbound_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('carrier_id', 'text', (c) => c.notNull())
        .addColumn('carrier_message_id', 'text')
        .addColumn('sender', 'text', (c) => c.notNull())
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('inbound_messages_carrier_ref', ['carrier_id', 'carrier_message_id'])
        .execute();
      await db.schema
        .createIndex('inbound_messages_received')
        .on('inbound_messages')
        .column('received_at')
        .execute();
    },
  },
  '0009_webhooks': {
    // Status callbacks: an outbox of events written with the status change that causes them, the
    // account's webhook settings, and what a webhook needs of the key that sent a message.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_keys').addColumn('sealed_key', 'text').execute();
      await db.schema.alterTable('messages').addColumn('api_key_id', 'text').execute();
      await db.schema
        .createTable('webhook_settings')
        .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
        .addColumn('url', 'text')
        .addColumn('bearer_auth', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('signing_secret', 'text', (c) => c.notNull())
        .addColumn('previous_signing_secret', 'text')
        .addColumn('previous_valid_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('webhook_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('sort_key', 'bigint', (c) => c.notNull())
        .addColumn('occurred_at', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('claim_token', 'text')
        .addColumn('claim_expires_at', 'text')
        .addColumn('last_http_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('webhook_events_once', ['recipient_id', 'event'])
        .execute();
      await db.schema
        .createIndex('webhook_events_due')
        .on('webhook_events')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema
        .createIndex('webhook_events_message')
        .on('webhook_events')
        .columns(['message_id', 'sort_key', 'id'])
        .execute();
      await db.schema
        .createIndex('webhook_events_account')
        .on('webhook_events')
        .columns(['account_id', 'id'])
        .execute();
    },
  },
  '0010_runtime_settings': {
    // Values a runtime keeps in the database itself (the Workers runtime's server secret, when none is set).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('runtime_settings')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0011_activity_log': {
    // The audit log: who changed what on an account (keys, settings, webhooks, sign-ins); money moves
    // are read from the ledger beside it.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('activity_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('details', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('activity_log_account')
        .on('activity_log')
        .columns(['account_id', 'created_at'])
        .execute();
    },
  },
  '0012_dashboard_sessions': {
    // Dashboard sign-ins: the session token's hash, the admin key it was opened with (revoking the key
    // ends its sessions), an absolute expiry, and when it was signed out.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('dashboard_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('api_key_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
      await db.schema
        .createIndex('dashboard_sessions_expiry')
        .on('dashboard_sessions')
        .column('expires_at')
        .execute();
    },
  },
  '0013_api_key_expiry': {
    // A key may expire (refused from then on), e.g. the old key of a rotation with a grace period.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_keys').addColumn('expires_at', 'text').execute();
    },
  },
  '0014_contact_tag_labels': {
    // Tags are matched folded (`tag`) and shown as entered (`label`); existing ones show as stored.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('contact_tags').addColumn('label', 'text').execute();
      await sql`update contact_tags set label = tag`.execute(db);
    },
  },
  '0015_campaigns': {
    // A campaign: one template sent to an audience resolved at acceptance, as messages (one per
    // distinct personalised text) that carry its id.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('template', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('audience', 'text', (c) => c.notNull())
        .addColumn('segment_id', 'text')
        .addColumn('schedule_time', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('recipient_count', 'integer', (c) => c.notNull())
        .addColumn('excluded_inactive', 'integer', (c) => c.notNull())
        .addColumn('excluded_duplicates', 'integer', (c) => c.notNull())
        .addColumn('cost', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('api_key_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('cancelled_at', 'text')
        .execute();
      await db.schema
        .createIndex('campaigns_account_created')
        .on('campaigns')
        .columns(['account_id', 'created_at'])
        .execute();
      await db.schema.alterTable('messages').addColumn('campaign_id', 'text').execute();
      await db.schema.createIndex('messages_campaign').on('messages').column('campaign_id').execute();
    },
  },
  '0016_rate_limit_guard': {
    // A take can run inside another write's atomic batch: when it does not fit, it writes -1, which
    // this check refuses, so the whole batch is refused. The table holds only limiter state (at worst
    // an account's current windows start again on upgrade), so it is made again rather than altered.
    async up(db: Kysely<unknown>) {
      // Either step may be repeated by a migrator racing this one (D1 isolates have no transactions).
      await db.schema.dropTable('rate_limits').ifExists().execute();
      await db.schema
        .createTable('rate_limits')
        .ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('tat', 'double precision', (c) => c.notNull())
        .addCheckConstraint('rate_limits_within', sql`tat >= 0`)
        .execute();
    },
  },
  '0017_delivery_truth': {
    async up(db: Kysely<unknown>) {
      // A held report is kept under every spelling of its id (one hold), and matches only submissions
      // stored before it expires. Reports held before this had the default hold of 10 minutes.
      await db.schema.alterTable('held_reports').addColumn('hold_id', 'text').execute();
      await db.schema.alterTable('held_reports').addColumn('expires_at', 'text').execute();
      const k = db as Kysely<Database>;
      await k.updateTable('held_reports').set({ hold_id: sql`carrier_message_id` }).execute();
      const held = await k
        .selectFrom('held_reports')
        .select(['carrier_id', 'carrier_message_id', 'received_at'])
        .execute();
      for (const h of held)
        await k
          .updateTable('held_reports')
          .set({ expires_at: new Date(Date.parse(h.received_at) + 600_000).toISOString() })
          .where('carrier_id', '=', h.carrier_id)
          .where('carrier_message_id', '=', h.carrier_message_id)
          .execute();
      await db.schema
        .createIndex('held_reports_hold')
        .on('held_reports')
        .columns(['carrier_id', 'hold_id'])
        .execute();
      // A message may carry a validity period: never submitted after it.
      await db.schema.alterTable('messages').addColumn('valid_until', 'text').execute();
      // `expired`: no final receipt in time, or not submitted within the message's validity.
      await db.schema.alterTable('recipients').addColumn('expired_at', 'text').execute();
      await db.schema
        .createIndex('recipients_awaiting_receipt')
        .on('recipients')
        .columns(['status', 'sent_at'])
        .execute();
    },
  },
  '0018_contact_tag_order': {
    // A contact's tags are shown in the order they were entered; existing ones (all 0) by their tag.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('contact_tags')
        .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0019_webhook_events_by_account': {
    // Webhook claims walk the accounts that have events waiting, then take each one's oldest due events.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('webhook_events_due_by_account')
        .ifNotExists()
        .on('webhook_events')
        .columns(['status', 'account_id', 'next_attempt_at'])
        .execute();
    },
  },
  '0020_listing_indexes': {
    // The messages listing walks an account's (or a campaign's) messages newest first, a page at a
    // time, and counts each one's recipients by status from the index alone.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('messages_account_created_id')
        .on('messages')
        .columns(['account_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('messages_account_created').execute();
      await db.schema
        .createIndex('messages_campaign_created_id')
        .on('messages')
        .columns(['campaign_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('messages_campaign').execute();
      await db.schema
        .createIndex('recipients_message_status')
        .on('recipients')
        .columns(['message_id', 'status'])
        .execute();
      await db.schema.dropIndex('recipients_message').execute();
    },
  },
  '0021_staged_campaigns': {
    // A large campaign's messages and recipients, written here in small steps before its one debit and
    // moved into `messages` and `recipients` in small steps after it (same columns, ids made up front).
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staged_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('encoding', 'text', (c) => c.notNull())
        .addColumn('segments', 'integer', (c) => c.notNull())
        .addColumn('national_language', 'text')
        .addColumn('cost', 'bigint', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('recipient_count', 'integer', (c) => c.notNull())
        .addColumn('schedule_time', 'text')
        .addColumn('valid_until', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('api_key_id', 'text')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('staged_messages_campaign')
        .on('staged_messages')
        .columns(['campaign_id', 'id'])
        .execute();
      await db.schema
        .createTable('staged_recipients')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text', (c) => c.notNull())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('operator', 'text')
        .addColumn('cost', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('staged_recipients_campaign')
        .on('staged_recipients')
        .columns(['campaign_id', 'id'])
        .execute();
    },
  },
  '0022_compliance': {
    // Each account's own quiet hours and opt-out texts (null: the configuration's), and the pause
    // switch of promotional messages, gateway-wide (no account) or for one account, kept after resuming.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('account_compliance')
        .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
        .addColumn('quiet_hours', 'text')
        .addColumn('opt_out_footer', 'text')
        .addColumn('opt_out_reply', 'text')
        .addColumn('opt_in_reply', 'text')
        .addColumn('help_reply', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('compliance_pauses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
        .addColumn('traffic_class', 'text', (c) => c.notNull())
        .addColumn('until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('resumed_at', 'text')
        .addColumn('resumed_by', 'text')
        .execute();
      await db.schema
        .createIndex('compliance_pauses_active')
        .on('compliance_pauses')
        .columns(['traffic_class', 'resumed_at', 'account_id'])
        .execute();
    },
  },
  '0023_inbound_numbers': {
    // Two-way messaging: the numbers (and keywords) an account receives on, each inbound message's
    // account, number and keyword once assigned, and the message a reply answers.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('inbound_numbers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
        .addColumn('number', 'text', (c) => c.notNull())
        .addColumn('keyword', 'text', (c) => c.notNull())
        .addColumn('carrier_id', 'text')
        .addColumn('webhook_url', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('inbound_numbers_number_keyword', ['number', 'keyword'])
        .execute();
      await db.schema
        .createIndex('inbound_numbers_account')
        .on('inbound_numbers')
        .columns(['account_id', 'created_at'])
        .execute();
      for (const column of ['account_id', 'number_id', 'keyword', 'in_reply_to'])
        await db.schema.alterTable('inbound_messages').addColumn(column, 'text').execute();
      await db.schema
        .createIndex('inbound_messages_account_received')
        .on('inbound_messages')
        .columns(['account_id', 'received_at', 'id'])
        .execute();
      await db.schema.alterTable('messages').addColumn('reply_to', 'text').execute();
      // A reply looks for the account's latest message to the number it answers.
      await db.schema
        .createIndex('recipients_account_phone_created')
        .on('recipients')
        .columns(['account_id', 'phone', 'created_at'])
        .execute();
    },
  },
  '0024_consent': {
    // Numbers an account may no longer send promotional or transactional messages to, the append-only
    // log of every opt-out and opt-in, and each message's and campaign's traffic class.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('opt_outs')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('inbound_id', 'text')
        .addColumn('api_key_id', 'text')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('opt_outs_pk', ['account_id', 'phone'])
        .execute();
      await db.schema
        .createIndex('opt_outs_account_created')
        .on('opt_outs')
        .columns(['account_id', 'created_at', 'phone'])
        .execute();
      await db.schema
        .createTable('consent_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('inbound_id', 'text')
        .addColumn('api_key_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('evidence', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('consent_events_account_phone')
        .on('consent_events')
        .columns(['account_id', 'phone', 'created_at', 'id'])
        .execute();
      for (const table of ['messages', 'staged_messages', 'campaigns'])
        await db.schema
          .alterTable(table)
          .addColumn('traffic_class', 'text', (c) => c.notNull().defaultTo('transactional'))
          .execute();
      await db.schema
        .alterTable('campaigns')
        .addColumn('excluded_opted_out', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // A held report keeps whether it said the subscriber blocks the sender, for when it is applied.
      await db.schema
        .alterTable('held_reports')
        .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0025_promotional_deferral': {
    // A promotional campaign accepted in quiet hours or a pause: when it was put off to, or that it
    // waits for a resume.
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('campaigns').addColumn('deferred_until', 'text').execute();
      await db.schema
        .alterTable('campaigns')
        .addColumn('held_until_resumed', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  '0026_inbound_conversations': {
    // The dashboard's inbox: each subscriber's messages to the account, newest first.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('inbound_messages_account_sender')
        .on('inbound_messages')
        .columns(['account_id', 'sender', 'received_at', 'id'])
        .execute();
    },
  },
  '0027_sender_id_operators': {
    // Sender IDs are registered with each operator on its own: a sender ID's decision for every operator
    // (its own columns) and the operators that decided otherwise (their rows), what the account said it
    // is for. Sender IDs stored before this were approved for every operator.
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('sender_ids')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('approved'))
        .execute();
      for (const column of ['reason', 'decided_at', 'use', 'note'])
        await db.schema.alterTable('sender_ids').addColumn(column, 'text').execute();
      await sql`update sender_ids set decided_at = created_at`.execute(db);
      await db.schema
        .createTable('sender_id_operators')
        .addColumn('account_id', 'text', (c) => c.notNull())
        .addColumn('sender_id', 'text', (c) => c.notNull())
        .addColumn('operator', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('decided_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('sender_id_operators_pk', ['account_id', 'sender_id', 'operator'])
        .execute();
    },
  },
  '0028_report_indexes': {
    // Usage reports read an account's recipients by creation time; exports walk them, and its ledger,
    // oldest first a page at a time from (created_at, id), seeking from the last row of each page.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('recipients_account_created_id')
        .on('recipients')
        .columns(['account_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('recipients_account_created').execute();
      await db.schema
        .createIndex('ledger_account_created_id')
        .on('ledger_entries')
        .columns(['account_id', 'created_at', 'id'])
        .execute();
      await db.schema.dropIndex('ledger_account').execute();
    },
  },
  '0029_account_preferences': {
    // What an account's dashboard shows: its language and time zone (null: the defaults), and a
    // session's own choice of language (null: the account's).
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('accounts').addColumn('language', 'text').execute();
      await db.schema.alterTable('accounts').addColumn('time_zone', 'text').execute();
      await db.schema.alterTable('dashboard_sessions').addColumn('language', 'text').execute();
    },
  },
  '0030_carrier_fleet_state': {
    // What every process on the database shares about each carrier: the next free submit slot of its
    // `submitsPerSecond` (a claim writes where its slots start, read back in the same statement), and
    // until when its circuit is open (0: closed). One row a carrier, made by the first claim or opening.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('carrier_fleet_state')
        .ifNotExists() // a migrator racing this one (D1 isolates have no transactions) may have made it
        .addColumn('carrier_id', 'text', (c) => c.primaryKey())
        .addColumn('next_slot_at', 'double precision', (c) => c.notNull())
        .addColumn('claimed_from', 'double precision', (c) => c.notNull())
        .addColumn('open_until', 'double precision', (c) => c.notNull())
        .execute();
    },
  },
  '0031_recipients_claimed': {
    // The recipients a dispatcher holds (claimed, not yet sent or failed): a claim reads their messages
    // by its token, which without an index scanned the whole table each time. Partial, so it holds only
    // what is in flight and costs the transitions little.
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('recipients_claimed')
        .ifNotExists()
        .on('recipients')
        .column('claim_token')
        .where('claim_token', 'is not', null)
        .execute();
    },
  },
  '0032_retention': {
    // What retention prunes, found without walking what it already pruned: messages and inbound texts
    // not yet redacted, by age (partial: a redacted row leaves the index), and webhook events by age.
    async up(db: Kysely<unknown>) {
      await sql`create index if not exists messages_unredacted on messages (created_at) where body <> '[redacted]'`.execute(
        db,
      );
      await sql`create index if not exists inbound_unredacted on inbound_messages (received_at) where body <> '[redacted]'`.execute(
        db,
      );
      await db.schema
        .createIndex('webhook_events_created')
        .ifNotExists()
        .on('webhook_events')
        .column('created_at')
        .execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** The names of the in-code migrations, oldest first (what `mifumo_migrations` holds once all are applied). */
export const migrationNames = (): string[] => Object.keys(migrations).sort();

/** The migrator over the in-code migrations (tests move it to a given version). */
export function createMigrator(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on any database's Kysely
  db: Kysely<any>,
  options: { transactions?: boolean } = {},
) {
  return new Migrator({
    db,
    provider,
    migrationTableName: 'mifumo_migrations',
    migrationLockTableName: 'mifumo_migrations_lock',
    disableTransactions: options.transactions === false,
  });
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(
  // biome-ignore lint/suspicious/noExplicitAny: migrations run on any database's Kysely
  db: Kysely<any>,
  options: { transactions?: boolean } = {},
): Promise<void> {
  const { error } = await createMigrator(db, options).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

import type { CompiledQuery, Kysely } from 'kysely';
import { newId } from '../../ids';
import type { Database } from '../../storage/schema';
import type { OptInOrigin, OptOutOrigin } from './schemas';
import type { OptOutRow } from './views';

/**
 * The statements of opting out and in, compiled for an atomic step: each change is its row and its log
 * entry, and is logged once however many ask for it at the same time. Builders only: nothing runs here.
 */
export function consentStatements(db: Kysely<Database>, maxBindParams: number) {
  const EVENT_COLUMNS = [
    'id',
    'account_id',
    'phone',
    'action',
    'source',
    'inbound_id',
    'api_key_id',
    'reason',
    'evidence',
    'created_at',
  ] as const;

  /** Logs the opt-outs whose rows carry these event ids (those a statement before it inserted). */
  function logOptOuts(accountId: string, eventIds: string[], evidence: string | undefined): CompiledQuery {
    return db
      .insertInto('consent_events')
      .columns([...EVENT_COLUMNS])
      .expression(
        db
          .selectFrom('opt_outs')
          .select((eb) => [
            'event_id',
            'account_id',
            'phone',
            eb.val('opted_out').as('action'),
            'source',
            'inbound_id',
            'api_key_id',
            'reason',
            eb.val(evidence ?? null).as('evidence'),
            'created_at',
          ])
          .where('account_id', '=', accountId)
          .where('event_id', 'in', eventIds),
      )
      .compile();
  }

  /**
   * The statements that opt out `rows` (their numbers not yet opted out) and log each one that was:
   * the log entry is copied from the opt-out row carrying its id, so a number already opted out (or
   * opted out by a concurrent step first) gets no second entry. The first statement of each pair
   * reports how many were opted out.
   */
  function optOutStatements(
    accountId: string,
    rows: { phone: string; reason: string | null }[],
    origin: Omit<OptOutOrigin, 'reason'>,
    at: string,
  ): CompiledQuery[] {
    const stored: OptOutRow[] = rows.map((r) => ({
      account_id: accountId,
      phone: r.phone,
      reason: r.reason,
      source: origin.source,
      inbound_id: origin.inboundId ?? null,
      api_key_id: origin.apiKeyId ?? null,
      event_id: newId('cns'),
      created_at: at,
    }));
    // Each chunk binds its rows once, then their event ids once more (plus the account) for the log.
    const perRow = Object.keys(stored[0] ?? {}).length;
    const size = Math.max(1, Math.floor((maxBindParams - 3) / (perRow + 1)));
    const queries: CompiledQuery[] = [];
    for (let i = 0; i < stored.length; i += size) {
      const chunk = stored.slice(i, i + size);
      queries.push(
        db
          .insertInto('opt_outs')
          .values(chunk)
          .onConflict((oc) => oc.columns(['account_id', 'phone']).doNothing())
          .compile(),
        logOptOuts(
          accountId,
          chunk.map((r) => r.event_id),
          origin.evidence,
        ),
      );
    }
    return queries;
  }

  /**
   * The statements that opt `phone` back in: the opt-out row is claimed first (its `event_id` set to
   * the new entry's), so two opt-ins at once log one; then the entry is logged and the row removed.
   * With `onlyIfStored`, only when the inbound message `origin.inboundId` is stored (see
   * `keywordStatements`). The last statement reports whether it was opted in.
   */
  function optInStatements(
    accountId: string,
    phone: string,
    origin: OptInOrigin,
    at: string,
    onlyIfStored = false,
  ): CompiledQuery[] {
    const eventId = newId('cns');
    return [
      db
        .updateTable('opt_outs')
        .set({ event_id: eventId })
        .where('account_id', '=', accountId)
        .where('phone', '=', phone)
        .$if(onlyIfStored, (q) =>
          q.where((eb) =>
            eb.exists(
              db
                .selectFrom('inbound_messages')
                .select('id')
                .where('id', '=', origin.inboundId ?? ''),
            ),
          ),
        )
        .compile(),
      db
        .insertInto('consent_events')
        .columns([...EVENT_COLUMNS])
        .expression(
          db
            .selectFrom('opt_outs')
            .where('account_id', '=', accountId)
            .where('phone', '=', phone)
            .where('event_id', '=', eventId)
            .select((eb) => [
              eb.val(eventId).as('id'),
              'account_id',
              'phone',
              eb.val('opted_in').as('action'),
              eb.val(origin.source).as('source'),
              eb.val(origin.inboundId ?? null).as('inbound_id'),
              eb.val(origin.apiKeyId ?? null).as('api_key_id'),
              eb.val(origin.reason ?? null).as('reason'),
              eb.val(origin.evidence).as('evidence'),
              eb.val(at).as('created_at'),
            ]),
        )
        .compile(),
      db
        .deleteFrom('opt_outs')
        .where('account_id', '=', accountId)
        .where('phone', '=', phone)
        .where('event_id', '=', eventId)
        .compile(),
    ];
  }

  /**
   * The statements of a subscriber's keyword (source `keyword`): opting the sender of the inbound
   * message `inboundId` out of, or back into, the account, for the atomic step that stores that
   * message. They act only when that message is in the table when they run, so a message whose
   * carrier id was stored before (its insert did nothing) changes and logs nothing.
   */
  function keywordStatements(
    accountId: string,
    action: 'opt_out' | 'opt_in',
    inbound: { id: string; phone: string; evidence: string },
    at: string,
  ): CompiledQuery[] {
    const origin = { source: 'keyword', inboundId: inbound.id, evidence: inbound.evidence } as const;
    if (action === 'opt_in') return optInStatements(accountId, inbound.phone, origin, at, true);
    const eventId = newId('cns');
    return [
      db
        .insertInto('opt_outs')
        .columns([
          'account_id',
          'phone',
          'reason',
          'source',
          'inbound_id',
          'api_key_id',
          'event_id',
          'created_at',
        ])
        .expression(
          db
            .selectFrom('inbound_messages')
            .select((eb) => [
              eb.val(accountId).as('account_id'),
              eb.val(inbound.phone).as('phone'),
              eb.val(null).as('reason'),
              eb.val('keyword').as('source'),
              'id as inbound_id',
              eb.val(null).as('api_key_id'),
              eb.val(eventId).as('event_id'),
              eb.val(at).as('created_at'),
            ])
            .where('id', '=', inbound.id),
        )
        .onConflict((oc) => oc.columns(['account_id', 'phone']).doNothing())
        .compile(),
      logOptOuts(accountId, [eventId], inbound.evidence),
    ];
  }

  return { optOutStatements, optInStatements, keywordStatements };
}

export type ConsentStatements = ReturnType<typeof consentStatements>;

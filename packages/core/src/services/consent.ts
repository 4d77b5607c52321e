import type { CompiledQuery, Selectable } from 'kysely';
import { z } from 'zod';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { phoneNumberField } from '../domain/phone';
import { GatewayError } from '../errors';
import { yieldToEventLoop } from '../event-loop';
import { newId } from '../ids';
import { countRows } from '../storage/count-rows';
import type { ConsentEventsTable, ConsentSource, OptOutsTable } from '../storage/schema';
import { chunkRows, type Store } from '../storage/store';
import {
  type CsvSpec,
  csvRows,
  failedRows,
  type ImportReport,
  type ImportRow,
  jsonRows,
  receivedRows,
  type ValidRow,
  validRows,
} from './contact-import';
import { offsetOf, type PageRequest, pagination } from './paging';

/** Numbers looked up in one statement (a few milliseconds); the event loop turns between them. */
const PHONES_PER_LOOKUP = 1000;

/** Longest `reason` and `evidence` kept, in characters. */
export const MAX_REASON_LENGTH = 500;
export const MAX_EVIDENCE_LENGTH = 1000;

/** An opt-out as a request gives it (the API's body, an imported row). */
export const optOutSchema = z.strictObject({
  phone_number: z
    .string()
    .max(50)
    .meta({ examples: ['+255754000111', '0754000111'] })
    .describe('The number to leave out: E.164, or national in the default region'),
  reason: z
    .string()
    .trim()
    .max(MAX_REASON_LENGTH)
    .nullish()
    .transform((v) => (v ? v : undefined))
    .describe('Why, as the subscriber or the operator said it; null or empty for none'),
});

export type OptOutInput = z.output<typeof optOutSchema>;

/** What an opt-in must carry: how the subscriber agreed again. */
export const optInSchema = z.strictObject({
  evidence: z
    .string()
    .trim()
    .min(1, 'evidence must not be empty')
    .max(MAX_EVIDENCE_LENGTH)
    .describe('How the subscriber agreed again (a signed form, a recorded call, …); kept in the history'),
});

/** Where an opt-out came from, and why. */
export interface OptOutOrigin {
  source: ConsentSource;
  reason?: string | undefined;
  /** The inbound message (a STOP keyword) it came from. */
  inboundId?: string | undefined;
  /** The API key that asked for it. */
  apiKeyId?: string | undefined;
  /** What the carrier said, or other proof. */
  evidence?: string | undefined;
}

/** Where an opt-in came from, and what shows the subscriber agreed again. */
export interface OptInOrigin {
  source: ConsentSource;
  evidence: string;
  reason?: string | undefined;
  inboundId?: string | undefined;
  apiKeyId?: string | undefined;
}

/** An import's rows: a CSV header `phone_number[,reason]`. */
const OPT_OUT_CSV: CsvSpec = {
  columns: ['phone_number', 'reason'],
  required: ['phone_number'],
  read(values, column, text) {
    values[column] = column === 'reason' && text === '' ? null : text;
  },
};

const oversized = (values: Record<string, unknown>) => {
  const fields = Object.keys(values).length;
  return fields > OPT_OUT_CSV.columns.length
    ? { field: null, reason: `has ${fields} fields; an opt-out has phone_number and reason` }
    : null;
};

export interface OptOutImportReport extends Omit<ImportReport, 'updated'> {
  /** Already opted out: left as they were. */
  skipped: number;
}

type OptOutRow = Selectable<OptOutsTable>;

const entryView = (r: OptOutRow) => ({
  phone_number: r.phone,
  reason: r.reason,
  source: r.source,
  inbound_id: r.inbound_id,
  created_at: r.created_at,
});

const eventView = (e: Selectable<ConsentEventsTable>) => ({
  id: e.id,
  action: e.action,
  source: e.source,
  reason: e.reason,
  evidence: e.evidence,
  api_key_id: e.api_key_id,
  inbound_id: e.inbound_id,
  created_at: e.created_at,
});

/**
 * An account's opt-outs: the numbers its promotional and transactional messages are no longer sent to,
 * and the append-only log of every opt-out and opt-in. Each change is its row and its log entry in one
 * atomic step, and is logged once however many ask for it at the same time: opting out a number already
 * opted out changes and logs nothing (`already_opted_out`), and so does opting in one that is not.
 * Numbers are E.164, as recipients are stored.
 */
export function createConsent(deps: { store: Store; clock: Clock; config: MifumoConfig }) {
  const { store, clock, config } = deps;
  const { db } = store;
  const phoneOptions = { defaultRegion: config.defaultRegion, strict: config.messages.strictPhoneValidation };
  const maxRows = config.contacts.maxImportRows;

  const normalized = (phoneNumber: string) => phoneNumberField(phoneNumber, phoneOptions);

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
    const size = Math.max(1, Math.floor((store.maxBindParams - 3) / (perRow + 1)));
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

  async function entry(accountId: string, phone: string) {
    return db
      .selectFrom('opt_outs')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('phone', '=', phone)
      .executeTakeFirst();
  }

  /**
   * Opts `phone` (E.164) out for the account, logged as `origin` says; `already_opted_out` (nothing
   * changed, nothing logged) when it was. Carriers' refusals call it with source `carrier`; a
   * subscriber's STOP by SMS goes through `keywordStatements`, in the step that stores the message.
   */
  async function optOut(accountId: string, phone: string, origin: OptOutOrigin) {
    const [inserted] = await store.atomic(
      optOutStatements(accountId, [{ phone, reason: origin.reason ?? null }], origin, iso(clock.now())),
    );
    const row = await entry(accountId, phone);
    const status =
      Number(inserted?.numAffectedRows ?? 0) === 1 ? ('opted_out' as const) : ('already_opted_out' as const);
    // Opted in again by a concurrent step between the two: reported as opted out, which it was.
    return { status, entry: row ? entryView(row) : null };
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
   * Opts `phone` back in: removes its opt-out and logs `opted_in` with the evidence, in one atomic
   * step, or `not_opted_out` (nothing changed, nothing logged) when it was not opted out.
   */
  async function optIn(accountId: string, phone: string, origin: OptInOrigin) {
    const results = await store.atomic(optInStatements(accountId, phone, origin, iso(clock.now())));
    const removed = Number(results[2]?.numAffectedRows ?? 0) === 1;
    return { status: removed ? ('opted_in' as const) : ('not_opted_out' as const) };
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
  ): CompiledQuery[] {
    const at = iso(clock.now());
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

  /**
   * Which of `phones` (E.164) the account has opted out. An account with no opt-outs costs one index
   * probe; otherwise the numbers are looked up a page at a time, the event loop turning between pages.
   */
  async function suppressed(accountId: string, phones: readonly string[]): Promise<Set<string>> {
    const out = new Set<string>();
    if (phones.length === 0) return out;
    const any = await db
      .selectFrom('opt_outs')
      .select('phone')
      .where('account_id', '=', accountId)
      .limit(1)
      .executeTakeFirst();
    if (!any) return out;
    const chunks = chunkRows(
      [...new Set(phones)].map((p) => ({ p })),
      Math.min(store.maxBindParams - 1, PHONES_PER_LOOKUP),
    );
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0) await yieldToEventLoop();
      const found = await db
        .selectFrom('opt_outs')
        .select('phone')
        .where('account_id', '=', accountId)
        .where(
          'phone',
          'in',
          chunk.map((c) => c.p),
        )
        .execute();
      for (const f of found) out.add(f.phone);
    }
    return out;
  }

  /**
   * Which of these (account, number) pairs are opted out, as `${accountId} ${phone}` keys, each with
   * when it was opted out: a dispatcher's check of a claimed batch, one query per chunk whatever the
   * accounts.
   */
  async function suppressedPairs(pairs: readonly { accountId: string; phone: string }[]) {
    const out = new Map<string, string>();
    const wanted = new Set(pairs.map((p) => `${p.accountId} ${p.phone}`));
    const per = Math.max(1, Math.floor(Math.min(store.maxBindParams, 2000) / 2));
    for (let i = 0; i < pairs.length; i += per) {
      const chunk = pairs.slice(i, i + per);
      const found = await db
        .selectFrom('opt_outs')
        .select(['account_id', 'phone', 'created_at'])
        .where('account_id', 'in', [...new Set(chunk.map((p) => p.accountId))])
        .where('phone', 'in', [...new Set(chunk.map((p) => p.phone))])
        .execute();
      for (const f of found) {
        const key = `${f.account_id} ${f.phone}`;
        if (wanted.has(key)) out.set(key, f.created_at);
      }
    }
    return out;
  }

  /** Imports opt-outs (source `import`): every new one in one atomic step, or none; bad rows reported. */
  async function importRows(
    accountId: string,
    rows: readonly ImportRow[],
    apiKeyId: string | undefined,
    earlier: ImportReport['errors'] = [],
  ): Promise<OptOutImportReport> {
    const received = receivedRows(rows, earlier, maxRows);
    const errors = [...earlier];
    const valid: ValidRow<OptOutInput>[] = await validRows(rows, errors, {
      schema: optOutSchema,
      phoneOptions,
      oversized,
    });
    errors.sort((a, b) => a.row - b.row);
    const queries = optOutStatements(
      accountId,
      valid.map((v) => ({ phone: v.phone, reason: v.input.reason ?? null })),
      { source: 'import', apiKeyId },
      iso(clock.now()),
    );
    const results = await store.atomic(queries);
    const created = results
      .filter((_, i) => i % 2 === 0)
      .reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
    return {
      received,
      created,
      skipped: valid.length - created,
      failed: failedRows(errors),
      errors,
    };
  }

  return {
    optOut,
    optIn,
    keywordStatements,
    suppressed,
    suppressedPairs,

    /** A page of the account's opt-outs, newest first (then by number), optionally of one number. */
    async list(accountId: string, query: PageRequest & { phone_number?: string | undefined }) {
      const phone = query.phone_number === undefined ? undefined : normalized(query.phone_number);
      const q = db
        .selectFrom('opt_outs')
        .where('account_id', '=', accountId)
        .$if(phone !== undefined, (w) => w.where('phone', '=', phone!));
      const total = await countRows(q);
      const rows = await q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('phone', 'desc')
        .limit(query.per_page)
        .offset(offsetOf(query))
        .execute();
      return { opt_outs: rows.map(entryView), pagination: pagination(query, total) };
    },

    /** Opts a number (as the API gives it) out; the entry, and whether it was new. */
    add: (accountId: string, input: OptOutInput, origin: Omit<OptOutOrigin, 'reason'>) =>
      optOut(accountId, normalized(input.phone_number), { ...origin, reason: input.reason }),

    /** Opts a number (as the API gives it) back in; NOT_FOUND when it is not opted out. */
    async remove(accountId: string, phoneNumber: string, origin: OptInOrigin) {
      const phone = normalized(phoneNumber);
      const row = await entry(accountId, phone);
      const { status } = await optIn(accountId, phone, origin);
      if (!row || status === 'not_opted_out')
        throw new GatewayError('NOT_FOUND', `${phone} is not opted out`);
      return { ...entryView(row), opted_in_at: iso(clock.now()) };
    },

    /** The account's log for a number, oldest first; NOT_FOUND when it has none. */
    async history(accountId: string, phoneNumber: string, query: PageRequest) {
      const phone = normalized(phoneNumber);
      const q = db
        .selectFrom('consent_events')
        .where('account_id', '=', accountId)
        .where('phone', '=', phone);
      const total = await countRows(q);
      if (total === 0) throw new GatewayError('NOT_FOUND', `No opt-out or opt-in of ${phone}`);
      const rows = await q
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(query.per_page)
        .offset(offsetOf(query))
        .execute();
      return { phone_number: phone, events: rows.map(eventView), pagination: pagination(query, total) };
    },

    /** A JSON array of `{ phone_number, reason? }`. */
    async importJson(accountId: string, text: string, apiKeyId?: string) {
      const { rows, errors } = jsonRows(text, maxRows, 'opt-outs');
      return importRows(accountId, rows, apiKeyId, errors);
    },
    /** A CSV with the header `phone_number[,reason]`. */
    async importCsv(accountId: string, text: string, apiKeyId?: string) {
      const { rows, errors } = await csvRows(text, maxRows, OPT_OUT_CSV);
      return importRows(accountId, rows, apiKeyId, errors);
    },
  };
}

export type Consent = ReturnType<typeof createConsent>;

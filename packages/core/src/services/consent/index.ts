import { type Clock, iso } from '../../clock';
import type { MifumoConfig } from '../../config';
import { phoneNumberField } from '../../domain/phone';
import { GatewayError } from '../../errors';
import { countRows } from '../../storage/count-rows';
import type { Store } from '../../storage/store';
import { offsetOf, type PageRequest, pagination } from '../paging';
import { createOptOutImport } from './import';
import type { OptInOrigin, OptOutInput, OptOutOrigin } from './schemas';
import { consentStatements } from './statements';
import { createSuppression } from './suppression';
import { entryView, eventView } from './views';

export type { OptOutImportReport } from './import';
export {
  MAX_EVIDENCE_LENGTH,
  MAX_REASON_LENGTH,
  type OptInOrigin,
  type OptOutInput,
  type OptOutOrigin,
  optInSchema,
  optOutSchema,
} from './schemas';

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
  const normalized = (phoneNumber: string) => phoneNumberField(phoneNumber, phoneOptions);
  const statements = consentStatements(db, store.maxBindParams);
  const { optOutStatements, optInStatements } = statements;
  const { suppressed, suppressedPairs } = createSuppression(store);
  const optOutImport = createOptOutImport({ store, clock, config, statements });

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
   * Opts `phone` back in: removes its opt-out and logs `opted_in` with the evidence, in one atomic
   * step, or `not_opted_out` (nothing changed, nothing logged) when it was not opted out.
   */
  async function optIn(accountId: string, phone: string, origin: OptInOrigin) {
    const results = await store.atomic(optInStatements(accountId, phone, origin, iso(clock.now())));
    const removed = Number(results[2]?.numAffectedRows ?? 0) === 1;
    return { status: removed ? ('opted_in' as const) : ('not_opted_out' as const) };
  }

  /**
   * The statements of a subscriber's keyword (source `keyword`), for the atomic step that stores the
   * inbound message (see `consentStatements`).
   */
  const keywordStatements = (
    accountId: string,
    action: 'opt_out' | 'opt_in',
    inbound: { id: string; phone: string; evidence: string },
  ) => statements.keywordStatements(accountId, action, inbound, iso(clock.now()));

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
    importJson: optOutImport.importJson,
    importCsv: optOutImport.importCsv,
  };
}

export type Consent = ReturnType<typeof createConsent>;

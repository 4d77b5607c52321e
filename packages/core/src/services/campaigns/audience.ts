import type { MifumoConfig } from '../../config';
import type { TemplateField } from '../../domain/message-template';
import { templateValues } from '../../domain/message-template';
import { normalizePhone } from '../../domain/phone';
import { suppressesOptOuts, type TrafficClass } from '../../domain/traffic-class';
import { GatewayError } from '../../errors';
import { yieldToEventLoop } from '../../event-loop';
import { chunkRows, type Store } from '../../storage/store';
import { matchesCriteria, type SegmentCriteria } from '../segment-criteria';
import type { OptedOut } from '../send/draft';

/** Contacts read in one statement (about 10 ms); the event loop turns between such pages. */
const CONTACTS_PER_PAGE = 5000;

export interface AudienceMember {
  phone: string;
  contactId: string | null;
  values: Record<TemplateField, string | null> | null;
}

/** Who a campaign goes to: a segment, chosen contacts, or phone numbers. */
export type AudienceInput = { segment_id: string } | { contact_ids: string[] } | { recipients: string[] };

export interface Audience {
  kind: 'segment' | 'contacts' | 'recipients';
  segmentId: string | null;
  /** Each recipient once: its contact and the values its text is rendered from (both null: a bare number). */
  members: AudienceMember[];
  excludedInactive: number;
  excludedDuplicates: number;
  /** Numbers left out because the account opted them out (none for `otp`). */
  optedOut: string[];
}

/**
 * Resolves a campaign's audience when it is accepted (later changes to the segment or the contacts do
 * not alter it): active contacts only, each number once; the inactive and the repeated are counted.
 */
export function createAudiences(deps: {
  store: Store;
  config: MifumoConfig;
  criteriaOf: (accountId: string, segmentId: string) => Promise<SegmentCriteria>;
  optedOut: OptedOut;
}) {
  const { store, config } = deps;
  const { db } = store;
  const columns = ['id', 'name', 'phone', 'email', 'is_active', 'created_at'] as const;
  type Row = {
    id: string;
    name: string;
    phone: string;
    email: string | null;
    is_active: number;
    created_at: string;
  };

  function fromContacts(
    kind: Audience['kind'],
    segmentId: string | null,
    rows: Row[],
    duplicates: number,
  ): Audience {
    const active = rows.filter((r) => Number(r.is_active) === 1);
    return {
      kind,
      segmentId,
      members: active.map((r) => ({ phone: r.phone, contactId: r.id, values: templateValues(r) })),
      excludedInactive: rows.length - active.length,
      excludedDuplicates: duplicates,
      optedOut: [],
    };
  }

  /** The audience without the members the account opted out (for a class that skips them). */
  async function withoutOptedOut(accountId: string, audience: Audience): Promise<Audience> {
    const out = await deps.optedOut(
      accountId,
      audience.members.map((m) => m.phone),
    );
    if (out.size === 0) return audience;
    const optedOut = audience.members.filter((m) => out.has(m.phone)).map((m) => m.phone);
    return { ...audience, members: audience.members.filter((m) => !out.has(m.phone)), optedOut };
  }

  /** `suppress: false`: the opted-out are kept (a send that leaves them out itself, listing them). */
  return async function resolve(
    accountId: string,
    input: AudienceInput & { traffic_class?: TrafficClass | undefined },
    { suppress = true }: { suppress?: boolean } = {},
  ): Promise<Audience> {
    const audience = await members(accountId, input);
    return suppress && suppressesOptOuts(input.traffic_class ?? 'transactional')
      ? withoutOptedOut(accountId, audience)
      : audience;
  };

  async function members(accountId: string, input: AudienceInput): Promise<Audience> {
    if ('segment_id' in input) {
      const criteria = await deps.criteriaOf(accountId, input.segment_id);
      // A page at a time, in the order of creation, letting the event loop turn between pages.
      const rows: Row[] = [];
      for (let after: Row | undefined; ; ) {
        const page = await db
          .selectFrom('contacts')
          .select(columns)
          .where('account_id', '=', accountId)
          .where((eb) => matchesCriteria(eb, criteria))
          // A row value, so the index seeks to it instead of scanning from the first.
          .$if(after !== undefined, (q) =>
            q.where((eb) => eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after!.created_at, after!.id))),
          )
          .orderBy('created_at')
          .orderBy('id')
          .limit(CONTACTS_PER_PAGE)
          .execute();
        rows.push(...page);
        if (page.length < CONTACTS_PER_PAGE) break;
        after = page.at(-1);
        await yieldToEventLoop();
      }
      return fromContacts('segment', input.segment_id, rows, 0);
    }
    if ('contact_ids' in input) {
      const ids = [...new Set(input.contact_ids)];
      const rows: Row[] = [];
      for (const chunk of chunkRows(
        ids.map((id) => ({ id })),
        Math.min(store.maxBindParams - 1, CONTACTS_PER_PAGE),
      )) {
        if (rows.length > 0) await yieldToEventLoop();
        rows.push(
          ...(await db
            .selectFrom('contacts')
            .select(columns)
            .where('account_id', '=', accountId)
            .where(
              'id',
              'in',
              chunk.map((c) => c.id),
            )
            .execute()),
        );
      }
      const found = new Set(rows.map((r) => r.id));
      const unknown = ids.filter((id) => !found.has(id));
      if (unknown.length)
        throw new GatewayError(
          'VALIDATION_ERROR',
          `${unknown.length} contact_ids are not contacts of this account`,
          input.contact_ids
            .flatMap((id, i) =>
              found.has(id) ? [] : [{ field: `contact_ids.${i}`, message: 'not a contact of this account' }],
            )
            .slice(0, 100),
        );
      return fromContacts('contacts', null, rows, input.contact_ids.length - ids.length);
    }
    const options = { defaultRegion: config.defaultRegion, strict: config.messages.strictPhoneValidation };
    const phones = new Set<string>();
    const invalid: { input: string; reason: string }[] = [];
    for (const text of input.recipients) {
      const phone = normalizePhone(text, options);
      if (phone.ok) phones.add(phone.e164);
      else invalid.push({ input: phone.input, reason: phone.reason });
    }
    if (invalid.length)
      throw new GatewayError('INVALID_PHONE', `${invalid.length} recipient number(s) are not valid`, {
        invalid,
      });
    return {
      kind: 'recipients',
      segmentId: null,
      members: [...phones].map((phone) => ({ phone, contactId: null, values: null })),
      excludedInactive: 0,
      excludedDuplicates: input.recipients.length - phones.size,
      optedOut: [],
    };
  }
}

export type ResolveAudience = ReturnType<typeof createAudiences>;

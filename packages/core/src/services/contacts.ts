import { type Insertable, type Selectable, type SelectQueryBuilder, sql, type Updateable } from 'kysely';
import { z } from 'zod';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { filterBound } from '../domain/instant';
import { phoneNumberField, searchDigits } from '../domain/phone';
import { foldForSearch } from '../domain/search-fold';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import { countRows } from '../storage/count-rows';
import type { ContactsTable, Database } from '../storage/schema';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';
import { matchesCriteria, type SegmentCriteria, tagRows } from './segment-criteria';

/** A contact as a request gives it (the API's body, an imported row). */
/** Tags one contact may have. */
export const MAX_TAGS = 50;

export const contactSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'name must not be empty')
    .max(200)
    .describe('The full name; its first word is {first_name} in campaign templates'),
  phone_number: z
    .string()
    .meta({ examples: ['+255754000111', '0754000111'] })
    .describe('E.164, or national in the default region; stored as E.164, unique in the account'),
  email: z.email().max(254).nullish().describe('An email address; null for none'),
  tags: z
    .array(z.string().trim().min(1).max(50))
    .max(MAX_TAGS)
    .optional()
    .describe('Labels to group contacts by (segments match them in any case), each once'),
  is_active: z
    .boolean()
    .optional()
    .describe('Inactive contacts are left out of campaigns; a new contact is active unless this is false'),
});

export type ContactInput = z.output<typeof contactSchema>;

/** A partial update: the fields given change (email null clears it; tags replace the old ones). */
export const contactChangeSchema = contactSchema
  .partial()
  .refine((c) => Object.keys(c).length > 0, 'give at least one field to change');

export type ContactChange = z.output<typeof contactChangeSchema>;

export interface ContactFilters extends PageRequest {
  /** A segment's criteria: its members only. */
  criteria?: SegmentCriteria | undefined;
  tag?: string | undefined;
  is_active?: boolean | undefined;
  created_after?: string | undefined;
  created_before?: string | undefined;
}

export interface SearchInput {
  q?: string | undefined;
  limit: number;
  offset: number;
  segment_id?: string | undefined;
}

/** The stored row of a new contact (its phone already normalised). */
export function contactRow(
  accountId: string,
  input: ContactInput,
  e164: string,
  at: string,
): Insertable<ContactsTable> {
  const name = input.name.trim();
  const email = input.email ?? null;
  return {
    id: newId('ct'),
    account_id: accountId,
    name,
    phone: e164,
    email,
    search_name: foldForSearch(name),
    search_email: email === null ? null : foldForSearch(email),
    is_active: input.is_active === false ? 0 : 1,
    created_at: at,
    updated_at: at,
  };
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Contacts of an account. */
export function createContacts(deps: {
  store: Store;
  clock: Clock;
  config: MifumoConfig;
  /** A segment's criteria, for searching its members. */
  criteriaOf: (accountId: string, segmentId: string) => Promise<SegmentCriteria>;
}) {
  const { store, clock, config } = deps;
  const { db } = store;
  const phoneOptions = { defaultRegion: config.defaultRegion, strict: config.messages.strictPhoneValidation };

  async function tagsOf(contactIds: string[]): Promise<Map<string, string[]>> {
    const byContact = new Map<string, string[]>(contactIds.map((id) => [id, []]));
    if (contactIds.length === 0) return byContact;
    const rows = await db
      .selectFrom('contact_tags')
      .select(['contact_id', 'label'])
      .where('contact_id', 'in', contactIds)
      .orderBy('position')
      .orderBy('tag')
      .execute();
    for (const r of rows) byContact.get(r.contact_id)?.push(r.label);
    return byContact;
  }

  const COLUMNS = ['id', 'name', 'phone', 'email', 'is_active', 'created_at', 'updated_at'] as const;
  type Row = Pick<Selectable<ContactsTable>, (typeof COLUMNS)[number]>;

  /** Rows as the API shows them, with their tags (one query for all). */
  async function views(rows: Row[]) {
    const tags = await tagsOf(rows.map((r) => r.id));
    return rows.map(({ phone, is_active, ...r }) => ({
      ...r,
      phone_number: phone,
      is_active: Number(is_active) === 1,
      tags: tags.get(r.id) ?? [],
    }));
  }

  const normalized = (phoneNumber: string) => phoneNumberField(phoneNumber, phoneOptions);

  const taken = (phone: string) =>
    new GatewayError('CONFLICT', `A contact with phone number ${phone} already exists`, {
      reason: 'phone_number_taken',
      phone_number: phone,
    });

  /** Kept segment member counts are stale once a contact changes. */
  const bumpVersion = (accountId: string) =>
    db
      .updateTable('accounts')
      .set({ contacts_version: sql`contacts_version + 1` })
      .where('id', '=', accountId)
      .compile();

  /** A page of the contacts `q` selects, newest first (then by id: a stable order), and how many it selects. */
  async function newestFirst(
    q: SelectQueryBuilder<Database, 'contacts', object>,
    limit: number,
    offset: number,
  ) {
    const total = await countRows(q);
    const rows = await q
      .select(COLUMNS)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { contacts: await views(rows), total };
  }

  async function get(accountId: string, id: string) {
    const row = await db
      .selectFrom('contacts')
      .select(COLUMNS)
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No contact ${id}`);
    return (await views([row]))[0]!;
  }

  return {
    async create(accountId: string, input: ContactInput) {
      const phone = normalized(input.phone_number);
      const row = contactRow(accountId, input, phone, iso(clock.now()));
      const tags = tagRows(row.id, accountId, input.tags);
      try {
        await store.atomic([
          db.insertInto('contacts').values(row).compile(),
          bumpVersion(accountId),
          ...(tags.length ? [db.insertInto('contact_tags').values(tags).compile()] : []),
        ]);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'contacts' })) throw taken(phone);
        throw e;
      }
      return get(accountId, row.id);
    },

    get,

    /** One page of the account's contacts, newest first (then by id: a stable order), filtered. */
    async list(accountId: string, query: ContactFilters) {
      const since = filterBound('created_after', query.created_after);
      const until = filterBound('created_before', query.created_before);
      const tag = query.tag?.trim().toLowerCase();
      const q = db
        .selectFrom('contacts')
        .where('account_id', '=', accountId)
        .$if(query.criteria !== undefined, (w) => w.where((eb) => matchesCriteria(eb, query.criteria!)))
        .$if(query.is_active !== undefined, (w) => w.where('is_active', '=', query.is_active ? 1 : 0))
        .$if(since !== null, (w) => w.where('created_at', '>=', since!))
        .$if(until !== null, (w) => w.where('created_at', '<', until!))
        .$if(Boolean(tag), (w) => w.where((eb) => matchesCriteria(eb, { tags: [tag!] })));
      const { contacts, total } = await newestFirst(q, query.per_page, offsetOf(query));
      return { contacts, pagination: pagination(query, total) };
    },

    /** Changes the given fields; the phone is normalised again and stays unique; given tags replace the old. */
    async update(accountId: string, id: string, change: ContactChange) {
      // A contact never changes account: once it is known to be this account's, the tag rows below
      // (which name it by id alone) cannot touch another account's contact.
      await get(accountId, id);
      const at = iso(clock.now());
      const set: Updateable<ContactsTable> = { updated_at: at };
      if (change.name !== undefined) {
        set.name = change.name.trim();
        set.search_name = foldForSearch(set.name);
      }
      if (change.phone_number !== undefined) set.phone = normalized(change.phone_number);
      if (change.email !== undefined) {
        set.email = change.email;
        set.search_email = change.email === null ? null : foldForSearch(change.email);
      }
      if (change.is_active !== undefined) set.is_active = change.is_active ? 1 : 0;
      const statements = [
        db
          .updateTable('contacts')
          .set(set)
          .where('id', '=', id)
          .where('account_id', '=', accountId)
          .compile(),
      ];
      if (change.tags !== undefined)
        statements.push(
          db
            .deleteFrom('contact_tags')
            .where('contact_id', '=', id)
            .where('account_id', '=', accountId)
            .compile(),
          ...(change.tags.length
            ? [
                db
                  .insertInto('contact_tags')
                  .values(tagRows(id, accountId, change.tags))
                  .compile(),
              ]
            : []),
        );
      statements.push(bumpVersion(accountId));
      let updated: number;
      try {
        const [result] = await store.atomic(statements);
        updated = Number(result?.numAffectedRows ?? 0);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'contacts' })) throw taken(set.phone!);
        // Tags for a contact that is not there (another account's, or deleted meanwhile).
        if (store.violates(e, { kind: 'foreign_key' }))
          throw new GatewayError('NOT_FOUND', `No contact ${id}`);
        throw e;
      }
      if (updated === 0) throw new GatewayError('NOT_FOUND', `No contact ${id}`);
      return get(accountId, id);
    },

    /** Deletes a contact and its tags. */
    async remove(accountId: string, id: string) {
      const contact = await get(accountId, id);
      await store.atomic([
        db
          .deleteFrom('contact_tags')
          .where('contact_id', '=', id)
          .where('account_id', '=', accountId)
          .compile(),
        db.deleteFrom('contacts').where('id', '=', id).where('account_id', '=', accountId).compile(),
        bumpVersion(accountId),
      ]);
      return contact;
    },

    async search(accountId: string, input: SearchInput) {
      const criteria =
        input.segment_id === undefined ? null : await deps.criteriaOf(accountId, input.segment_id);
      let q = db.selectFrom('contacts').where('account_id', '=', accountId);
      if (criteria) q = q.where((eb) => matchesCriteria(eb, criteria));
      const text = input.q?.trim();
      if (text) {
        const pattern = `%${escapeLike(foldForSearch(text))}%`;
        const digits = searchDigits(text);
        q = q.where((eb) =>
          eb.or([
            eb('search_name', 'like', sql<string>`${pattern} escape '\\'`),
            eb('search_email', 'like', sql<string>`${pattern} escape '\\'`),
            ...(/^\d+$/.test(digits) ? [eb('phone', 'like', `%${digits}%`)] : []),
          ]),
        );
      }
      return {
        ...(await newestFirst(q, input.limit, input.offset)),
        limit: input.limit,
        offset: input.offset,
      };
    },
  };
}

export type Contacts = ReturnType<typeof createContacts>;

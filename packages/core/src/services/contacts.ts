import { type Insertable, sql } from 'kysely';
import { z } from 'zod';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { normalizePhone } from '../domain/phone';
import { foldForSearch } from '../domain/search-fold';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import { countRows } from '../storage/count-rows';
import type { ContactsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { matchesCriteria, normalizeTags, type SegmentCriteria } from './segment-criteria';

/** A contact as a request gives it (the API's body, an imported row). */
export const contactSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  phone_number: z.string(),
  email: z.email().max(254).nullish(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  is_active: z.boolean().optional(),
});

export type ContactInput = z.output<typeof contactSchema>;

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
      .select(['contact_id', 'tag'])
      .where('contact_id', 'in', contactIds)
      .orderBy('tag')
      .execute();
    for (const r of rows) byContact.get(r.contact_id)?.push(r.tag);
    return byContact;
  }

  return {
    async create(accountId: string, input: ContactInput) {
      const phone = normalizePhone(input.phone_number, phoneOptions);
      if (!phone.ok)
        throw new GatewayError('INVALID_PHONE', 'phone_number is not a valid phone number', {
          invalid: [{ input: phone.input, reason: phone.reason }],
        });
      const row = contactRow(accountId, input, phone.e164, iso(clock.now()));
      const tags = normalizeTags(input.tags);
      try {
        await store.atomic([
          db.insertInto('contacts').values(row).compile(),
          // Kept segment member counts are stale from now on.
          db
            .updateTable('accounts')
            .set({ contacts_version: sql`contacts_version + 1` })
            .where('id', '=', accountId)
            .compile(),
          ...(tags.length
            ? [
                db
                  .insertInto('contact_tags')
                  .values(tags.map((tag) => ({ contact_id: row.id, account_id: accountId, tag })))
                  .compile(),
              ]
            : []),
        ]);
      } catch (e) {
        if (store.violates(e, { kind: 'unique', table: 'contacts' }))
          throw new GatewayError('CONFLICT', `A contact with phone number ${phone.e164} already exists`, {
            phone_number: phone.e164,
          });
        throw e;
      }
      const { account_id: _, phone: phone_number, is_active, search_name, search_email, ...rest } = row;
      return { ...rest, phone_number, is_active: is_active === 1, tags };
    },

    async search(accountId: string, input: SearchInput) {
      const criteria =
        input.segment_id === undefined ? null : await deps.criteriaOf(accountId, input.segment_id);
      let q = db.selectFrom('contacts').where('account_id', '=', accountId);
      if (criteria) q = q.where((eb) => matchesCriteria(eb, criteria));
      const text = input.q?.trim();
      if (text) {
        const pattern = `%${escapeLike(foldForSearch(text))}%`;
        const digits = text.replace(/[\s().-]/g, '').replace(/^(\+|0+)/, '');
        q = q.where((eb) =>
          eb.or([
            eb('search_name', 'like', sql<string>`${pattern} escape '\\'`),
            eb('search_email', 'like', sql<string>`${pattern} escape '\\'`),
            ...(/^\d+$/.test(digits) ? [eb('phone', 'like', `%${digits}%`)] : []),
          ]),
        );
      }
      const total = await countRows(q);
      const rows = await q
        .select(['id', 'name', 'phone', 'email', 'is_active', 'created_at', 'updated_at'])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(input.limit)
        .offset(input.offset)
        .execute();
      const tags = await tagsOf(rows.map((r) => r.id));
      return {
        contacts: rows.map(({ phone, is_active, ...r }) => ({
          ...r,
          phone_number: phone,
          is_active: Number(is_active) === 1,
          tags: tags.get(r.id) ?? [],
        })),
        total,
        limit: input.limit,
        offset: input.offset,
      };
    },
  };
}

export type Contacts = ReturnType<typeof createContacts>;

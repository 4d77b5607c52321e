import { type ExpressionBuilder, sql } from 'kysely';
import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import { parseInstant } from '../domain/instant';
import { normalizePhone } from '../domain/phone';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import type { Database, SegmentsTable } from '../storage/schema';
import type { Store } from '../storage/store';

export interface ContactInput {
  name: string;
  phone_number: string;
  email?: string | null | undefined;
  tags?: string[] | undefined;
  is_active?: boolean | undefined;
}

export interface SegmentCriteria {
  /** Contacts having any of these tags. */
  tags?: string[] | undefined;
  is_active?: boolean | undefined;
  /** Contacts created at or after this date or date-time. */
  created_after?: string | undefined;
}

export interface SegmentInput {
  name: string;
  description?: string | null | undefined;
  criteria?: SegmentCriteria | undefined;
}

export interface SearchInput {
  q?: string | undefined;
  limit: number;
  offset: number;
  segment_id?: string | undefined;
}

/** Tags are matched case-insensitively: stored trimmed, lower-case and once each. */
export const normalizeTags = (tags: readonly string[] = []) => [
  ...new Set(tags.map((t) => t.trim().toLowerCase())),
];

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type ContactsEb = ExpressionBuilder<Database, 'contacts'>;

/** The segment's criteria as a condition on `contacts`: evaluated at query time, so new contacts join by themselves. */
function matchesCriteria(eb: ContactsEb, criteria: SegmentCriteria) {
  const conditions = [];
  const tags = normalizeTags(criteria.tags);
  if (tags.length)
    conditions.push(
      eb.exists(
        eb
          .selectFrom('contact_tags')
          .select('contact_tags.tag')
          .whereRef('contact_tags.contact_id', '=', 'contacts.id')
          .where('contact_tags.tag', 'in', tags),
      ),
    );
  if (criteria.is_active !== undefined)
    conditions.push(eb('contacts.is_active', '=', criteria.is_active ? 1 : 0));
  if (criteria.created_after !== undefined) {
    const after = parseInstant(criteria.created_after);
    if (after !== null) conditions.push(eb('contacts.created_at', '>=', iso(after)));
  }
  return eb.and(conditions);
}

function checkCriteria(criteria: SegmentCriteria | undefined): SegmentCriteria {
  const c = { ...criteria };
  if (c.created_after !== undefined && parseInstant(c.created_after) === null)
    throw new GatewayError(
      'VALIDATION_ERROR',
      'criteria.created_after must be an ISO 8601 date or date-time',
      {
        field: 'criteria.created_after',
      },
    );
  if (c.tags !== undefined) c.tags = normalizeTags(c.tags);
  return c;
}

/** Contacts and segments of an account. */
export function createContacts(deps: { store: Store; clock: Clock; config: MifumoConfig }) {
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

  async function segment(accountId: string, id: string): Promise<SegmentsTable> {
    const row = await db
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No segment ${id}`);
    return row;
  }

  async function countMatching(accountId: string, criteria: SegmentCriteria): Promise<number> {
    const row = await db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where((eb) => matchesCriteria(eb, criteria))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async function segmentView(s: SegmentsTable) {
    const criteria = JSON.parse(s.criteria) as SegmentCriteria;
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      criteria,
      contact_count: await countMatching(s.account_id, criteria),
      created_at: s.created_at,
    };
  }

  return {
    async create(accountId: string, input: ContactInput) {
      const phone = normalizePhone(input.phone_number, phoneOptions);
      if (!phone.ok)
        throw new GatewayError('INVALID_PHONE', 'phone_number is not a valid phone number', {
          invalid: [{ input: phone.input, reason: phone.reason }],
        });
      const at = iso(clock.now());
      const contact = {
        id: newId('ct'),
        account_id: accountId,
        name: input.name.trim(),
        phone: phone.e164,
        email: input.email ?? null,
        is_active: input.is_active === false ? 0 : 1,
        created_at: at,
        updated_at: at,
      };
      const tags = normalizeTags(input.tags);
      try {
        await store.atomic([
          db.insertInto('contacts').values(contact).compile(),
          ...(tags.length
            ? [
                db
                  .insertInto('contact_tags')
                  .values(tags.map((tag) => ({ contact_id: contact.id, account_id: accountId, tag })))
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
      const { account_id: _, phone: phone_number, is_active, ...rest } = contact;
      return { ...rest, phone_number, is_active: is_active === 1, tags };
    },

    async search(accountId: string, input: SearchInput) {
      const criteria =
        input.segment_id === undefined
          ? null
          : JSON.parse((await segment(accountId, input.segment_id)).criteria);
      let q = db.selectFrom('contacts').where('account_id', '=', accountId);
      if (criteria) q = q.where((eb) => matchesCriteria(eb, criteria));
      const text = input.q?.trim();
      if (text) {
        const pattern = `%${escapeLike(text.toLowerCase())}%`;
        const digits = text.replace(/[\s().-]/g, '').replace(/^(\+|0+)/, '');
        q = q.where((eb) =>
          eb.or([
            eb(sql`lower(name)`, 'like', sql`${pattern} escape '\\'`),
            eb(sql`lower(email)`, 'like', sql`${pattern} escape '\\'`),
            ...(/^\d+$/.test(digits) ? [eb('phone', 'like', `%${digits}%`)] : []),
          ]),
        );
      }
      const counted = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
      const rows = await q
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(input.limit)
        .offset(input.offset)
        .execute();
      const tags = await tagsOf(rows.map((r) => r.id));
      return {
        contacts: rows.map(({ account_id: _, phone, is_active, ...r }) => ({
          ...r,
          phone_number: phone,
          is_active: Number(is_active) === 1,
          tags: tags.get(r.id) ?? [],
        })),
        total: Number(counted?.n ?? 0),
        limit: input.limit,
        offset: input.offset,
      };
    },

    async createSegment(accountId: string, input: SegmentInput) {
      const row: SegmentsTable = {
        id: newId('seg'),
        account_id: accountId,
        name: input.name.trim(),
        description: input.description ?? null,
        criteria: JSON.stringify(checkCriteria(input.criteria)),
        created_at: iso(clock.now()),
      };
      await db.insertInto('segments').values(row).execute();
      return segmentView(row);
    },

    async getSegment(accountId: string, id: string) {
      return segmentView(await segment(accountId, id));
    },

    async listSegments(accountId: string) {
      const rows = await db
        .selectFrom('segments')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return Promise.all(rows.map(segmentView));
    },
  };
}

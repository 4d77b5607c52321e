import type { Updateable } from 'kysely';
import { type Clock, iso } from '../clock';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import { countRows } from '../storage/count-rows';
import type { SegmentsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { offsetOf, type PageRequest, pagination } from './paging';
import { contactConditions, readCriteria, type SegmentCriteria } from './segment-criteria';

export interface SegmentInput {
  name: string;
  description?: string | null | undefined;
  criteria?: SegmentCriteria | undefined;
}

/** A segment row with its criteria read; `stored` is the criteria's JSON as stored, to guard recounts. */
type Loaded = Omit<SegmentsTable, 'criteria'> & { criteria: SegmentCriteria; stored: string };

/**
 * Segments of an account: saved criteria, evaluated when used. Member counts are kept with the
 * account's `contacts_version` they were counted at and recounted only after the contacts changed, so
 * listing segments is a read of their rows; a recount runs in short statements (below), so even then
 * no request holds the database for long.
 */
export function createSegments({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  const loaded = (row: SegmentsTable): Loaded => ({
    ...row,
    criteria: readCriteria(row.criteria),
    stored: row.criteria,
  });

  async function contactsVersion(accountId: string): Promise<number> {
    const row = await db
      .selectFrom('accounts')
      .select('contacts_version')
      .where('id', '=', accountId)
      .executeTakeFirst();
    return Number(row?.contacts_version ?? 0);
  }

  async function load(accountId: string, id: string): Promise<Loaded> {
    const row = await db
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No segment ${id}`);
    return loaded(row);
  }

  /**
   * Counts one segment's members in statements that each stay short (SQLite's driver is synchronous:
   * another account's request waits for the statement running, not for the whole list): without tags,
   * one scan of the account's contacts with cheap column tests; with tags, from the tag index, reading
   * only the contacts that carry one of them.
   */
  async function countMembers(accountId: string, criteria: SegmentCriteria): Promise<number> {
    if (!criteria.tags?.length) {
      const row = await db
        .selectFrom('contacts')
        .where('account_id', '=', accountId)
        .where((eb) => eb.and(contactConditions(eb, criteria)))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    }
    const row = await db
      .selectFrom('contact_tags')
      .innerJoin('contacts', 'contacts.id', 'contact_tags.contact_id')
      .where('contact_tags.account_id', '=', accountId)
      .where('contact_tags.tag', 'in', criteria.tags)
      .where((eb) => eb.and(contactConditions(eb, criteria)))
      .select((eb) => eb.fn.count('contact_tags.contact_id').distinct().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Each segment's member count: kept where still current, else recounted and kept. */
  async function memberCounts(accountId: string, segments: readonly Loaded[]): Promise<number[]> {
    const version = await contactsVersion(accountId);
    const counts: number[] = [];
    for (const s of segments) {
      if (s.counted_version !== null && Number(s.counted_version) === version && s.member_count !== null) {
        counts.push(Number(s.member_count));
        continue;
      }
      // Counted after reading the version: a contact written meanwhile makes the kept count look stale, never current.
      const n = await countMembers(accountId, s.criteria);
      await db
        .updateTable('segments')
        .set({ member_count: n, counted_version: version })
        .where('id', '=', s.id)
        // Not over a newer count, nor over the criteria a PATCH changed meanwhile.
        .where((eb) => eb.or([eb('counted_version', 'is', null), eb('counted_version', '<=', version)]))
        .where('criteria', '=', s.stored)
        .execute();
      counts.push(n);
    }
    return counts;
  }

  const view = (s: Loaded, contactCount: number) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    criteria: s.criteria,
    contact_count: contactCount,
    created_at: s.created_at,
  });

  return {
    /** How many contacts criteria match now, stored nowhere (a form's preview before saving). */
    countFor: countMembers,

    /** The segment's criteria (NOT_FOUND when it is not this account's). */
    async criteriaOf(accountId: string, id: string): Promise<SegmentCriteria> {
      return (await load(accountId, id)).criteria;
    },

    async createSegment(accountId: string, input: SegmentInput) {
      const criteria = input.criteria ?? {};
      // Counted first: a request that fails must not leave its segment behind.
      const version = await contactsVersion(accountId);
      const count = await countMembers(accountId, criteria);
      const segment: Loaded = {
        stored: JSON.stringify(criteria),
        id: newId('seg'),
        account_id: accountId,
        name: input.name.trim(),
        description: input.description ?? null,
        criteria,
        member_count: count,
        counted_version: version,
        created_at: iso(clock.now()),
      };
      const { stored, ...row } = segment;
      await db
        .insertInto('segments')
        .values({ ...row, criteria: stored })
        .execute();
      return view(segment, count);
    },

    /** Changes the given fields; new criteria are counted again when next read. */
    async updateSegment(accountId: string, id: string, change: Partial<SegmentInput>) {
      const set: Updateable<SegmentsTable> = {};
      if (change.name !== undefined) set.name = change.name.trim();
      if (change.description !== undefined) set.description = change.description ?? null;
      if (change.criteria !== undefined) {
        set.criteria = JSON.stringify(change.criteria);
        set.member_count = null;
        set.counted_version = null;
      }
      const updated = await db
        .updateTable('segments')
        .set(set)
        .where('id', '=', id)
        .where('account_id', '=', accountId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw new GatewayError('NOT_FOUND', `No segment ${id}`);
      const segment = await load(accountId, id);
      const [count] = await memberCounts(accountId, [segment]);
      return view(segment, count!);
    },

    /** Deletes a segment (its contacts stay); answers it as it was. */
    async deleteSegment(accountId: string, id: string) {
      const segment = await load(accountId, id);
      const [count] = await memberCounts(accountId, [segment]);
      await db.deleteFrom('segments').where('id', '=', id).where('account_id', '=', accountId).execute();
      return view(segment, count!);
    },

    async getSegment(accountId: string, id: string) {
      const segment = await load(accountId, id);
      const [count] = await memberCounts(accountId, [segment]);
      return view(segment, count!);
    },

    /** One page of the account's segments, newest first, each with its member count. */
    async listSegments(accountId: string, page: PageRequest) {
      const mine = db.selectFrom('segments').where('account_id', '=', accountId);
      const total = await countRows(mine);
      const rows = await mine
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(page.per_page)
        .offset(offsetOf(page))
        .execute();
      const segments = rows.map(loaded);
      const counts = await memberCounts(accountId, segments);
      return {
        segments: segments.map((s, i) => view(s, counts[i]!)),
        pagination: pagination(page, total),
      };
    },
  };
}

export type Segments = ReturnType<typeof createSegments>;

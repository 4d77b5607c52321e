import { type Clock, iso } from '../clock';
import { GatewayError } from '../errors';
import { newId } from '../ids';
import type { SegmentsTable } from '../storage/schema';
import type { Store } from '../storage/store';
import { criteriaParams, matchesCriteria, readCriteria, type SegmentCriteria } from './segment-criteria';

export interface SegmentInput {
  name: string;
  description?: string | null | undefined;
  criteria?: SegmentCriteria | undefined;
}

type Loaded = Omit<SegmentsTable, 'criteria'> & { criteria: SegmentCriteria };

/** Segments of an account: saved criteria, evaluated when used. */
export function createSegments({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  async function load(accountId: string, id: string): Promise<Loaded> {
    const row = await db
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', id)
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw new GatewayError('NOT_FOUND', `No segment ${id}`);
    return { ...row, criteria: readCriteria(row.criteria) };
  }

  /**
   * Member counts of several segments of one account in one scan of its contacts: one
   * `count(case when <criteria> then 1 end)` column per segment (split only past the bind limit).
   */
  async function countMembers(accountId: string, segments: readonly Loaded[]): Promise<number[]> {
    const counts: number[] = [];
    const budget = store.maxBindParams - 1;
    for (let start = 0; start < segments.length; ) {
      let end = start;
      for (let used = 0; end < segments.length; end++) {
        used += criteriaParams(segments[end]!.criteria) + 1;
        if (used > budget && end > start) break;
      }
      const chunk = segments.slice(start, end);
      const row = await db
        .selectFrom('contacts')
        .where('account_id', '=', accountId)
        .select((eb) =>
          chunk.map((s, i) =>
            eb.fn.count(eb.case().when(matchesCriteria(eb, s.criteria)).then(1).end()).as(`c${i}`),
          ),
        )
        .executeTakeFirstOrThrow();
      const values = row as Record<string, unknown>;
      counts.push(...chunk.map((_, i) => Number(values[`c${i}`] ?? 0)));
      start = end;
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
    /** The segment's criteria (NOT_FOUND when it is not this account's). */
    async criteriaOf(accountId: string, id: string): Promise<SegmentCriteria> {
      return (await load(accountId, id)).criteria;
    },

    async createSegment(accountId: string, input: SegmentInput) {
      const segment: Loaded = {
        id: newId('seg'),
        account_id: accountId,
        name: input.name.trim(),
        description: input.description ?? null,
        criteria: input.criteria ?? {},
        created_at: iso(clock.now()),
      };
      // Counted first: a request that fails must not leave its segment behind.
      const [count] = await countMembers(accountId, [segment]);
      await db
        .insertInto('segments')
        .values({ ...segment, criteria: JSON.stringify(segment.criteria) })
        .execute();
      return view(segment, count!);
    },

    async getSegment(accountId: string, id: string) {
      const segment = await load(accountId, id);
      const [count] = await countMembers(accountId, [segment]);
      return view(segment, count!);
    },

    async listSegments(accountId: string) {
      const rows = await db
        .selectFrom('segments')
        .selectAll()
        .where('account_id', '=', accountId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      const segments = rows.map((r) => ({ ...r, criteria: readCriteria(r.criteria) }));
      const counts = await countMembers(accountId, segments);
      return segments.map((s, i) => view(s, counts[i]!));
    },
  };
}

export type Segments = ReturnType<typeof createSegments>;

import type { ExpressionBuilder } from 'kysely';
import { z } from 'zod';
import { parseInstant, storedInstant } from '../domain/instant';
import type { Database } from '../storage/schema';

/** Tags are matched case-insensitively: stored trimmed, lower-case and once each. */
export const normalizeTags = (tags: readonly string[] = []) => [
  ...new Set(tags.map((t) => t.trim().toLowerCase())),
];

/** A contact's tags as stored: each once (by its folded form), with its first spelling and its place kept to show. */
export function tagRows(contactId: string, accountId: string, tags: readonly string[] = []) {
  const rows = new Map<
    string,
    { contact_id: string; account_id: string; tag: string; label: string; position: number }
  >();
  for (const t of tags) {
    const label = t.trim();
    const tag = label.toLowerCase();
    if (!rows.has(tag))
      rows.set(tag, { contact_id: contactId, account_id: accountId, tag, label, position: rows.size });
  }
  return [...rows.values()];
}

/**
 * A segment's criteria: the one schema for what a request sends and what the database holds, so they
 * are checked and normalised in one place. An unknown criterion is refused, not ignored.
 */
export const segmentCriteria = z.strictObject({
  tags: z
    .array(z.string().trim().min(1).max(50))
    .max(50)
    .overwrite(normalizeTags)
    .optional()
    .describe('Contacts having any of these tags (matched in any case; kept lower-case)'),
  is_active: z.boolean().optional().describe('Only active (true) or inactive (false) contacts'),
  created_after: z
    .string()
    .refine((s) => parseInstant(s) !== null, 'must be an ISO 8601 date or date-time')
    .optional()
    .meta({ examples: ['2026-01-01', '2026-01-01T00:00:00+03:00'] })
    .describe('Contacts created at or after this ISO 8601 date or date-time'),
});

export type SegmentCriteria = z.output<typeof segmentCriteria>;

/** Criteria stored as JSON, read back through the same schema. */
export const readCriteria = (json: string): SegmentCriteria => segmentCriteria.parse(JSON.parse(json));

/** The criteria as a condition on `contacts`: evaluated when used, so new contacts join by themselves. */
export function matchesCriteria(eb: ExpressionBuilder<Database, 'contacts'>, criteria: SegmentCriteria) {
  const conditions = [];
  if (criteria.tags?.length)
    conditions.push(
      eb.exists(
        eb
          .selectFrom('contact_tags')
          .select('contact_tags.tag')
          .whereRef('contact_tags.contact_id', '=', 'contacts.id')
          .where('contact_tags.tag', 'in', criteria.tags),
      ),
    );
  return eb.and([...conditions, ...contactConditions(eb, criteria)]);
}

/** The criteria on the contact row itself (all but tags): cheap column comparisons. */
export function contactConditions(eb: ExpressionBuilder<Database, 'contacts'>, criteria: SegmentCriteria) {
  const conditions = [];
  if (criteria.is_active !== undefined)
    conditions.push(eb('contacts.is_active', '=', criteria.is_active ? 1 : 0));
  if (criteria.created_after !== undefined)
    conditions.push(eb('contacts.created_at', '>=', storedInstant(parseInstant(criteria.created_after)!)));
  return conditions;
}

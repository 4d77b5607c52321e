import type { SelectQueryBuilder } from 'kysely';

/** How many rows a filtered query matches (for a page's `total`); PostgreSQL's bigint count read as a number. */
export async function countRows<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const row = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return row !== undefined && 'n' in row ? Number(row.n) : 0;
}

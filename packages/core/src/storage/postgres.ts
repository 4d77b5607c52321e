import { Kysely, PostgresDialect, type PostgresPool, type QueryResult } from 'kysely';
import type { AtomicExecutor, ConstraintViolation, StorageDriver } from './driver';

const KINDS: Record<string, ConstraintViolation['kind']> = {
  '23505': 'unique',
  '23514': 'check',
  '23503': 'foreign_key',
};

/** PostgreSQL reports the SQLSTATE, the table and the constraint's name as fields of the error. */
function postgresViolation(error: unknown): ConstraintViolation | null {
  const e = error as { code?: unknown; table?: unknown; constraint?: unknown } | null;
  const kind = typeof e?.code === 'string' ? KINDS[e.code] : undefined;
  if (!kind) return null;
  return {
    kind,
    table: typeof e?.table === 'string' ? e.table : null,
    constraint: typeof e?.constraint === 'string' ? e.constraint : null,
  };
}

/** PostgreSQL through a pool as `pg` shapes it: several statements run in one transaction. */
export function postgresDriver(pool: PostgresPool): StorageDriver & { close(): Promise<void> } {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const atomic: AtomicExecutor = async (queries) => {
    // One statement is atomic by itself: no BEGIN/COMMIT round trips for it.
    if (queries.length === 1) return [await db.executeQuery(queries[0]!)];
    return db.transaction().execute(async (trx) => {
      const results: QueryResult<unknown>[] = [];
      for (const q of queries) results.push(await trx.executeQuery(q));
      return results;
    });
  };
  return {
    db,
    atomic,
    maxBindParams: 65_535,
    violation: postgresViolation,
    close: () => db.destroy(),
  };
}

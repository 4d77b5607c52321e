import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { ConstraintViolation, StorageDriver } from './driver';
import { postgresGroupCommit } from './postgres-group-commit';

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

/**
 * PostgreSQL through a pool as `pg` shapes it, its atomic batches committed in groups
 * (postgres-group-commit.ts). Made with `{ pipeline: true }` (`pg` ≥ 8.23), its clients send each
 * group in one round trip; without, one round trip per statement.
 */
export function postgresDriver(pool: PostgresPool): StorageDriver & { close(): Promise<void> } {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    atomic: postgresGroupCommit(pool),
    maxBindParams: 65_535,
    violation: postgresViolation,
    close: () => db.destroy(),
  };
}

import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import type { ConstraintViolation, StorageDriver } from './driver';
import { postgresGroupCommit } from './postgres-group-commit';
import { type PipelineClient, statementNames } from './postgres-pipeline';

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

export interface PostgresDriverOptions {
  /**
   * Run the statements of atomic batches as named prepared statements (each connection parses and
   * plans a statement once, not at every run: about half the server's CPU per message). Off by default
   * for a pool behind a pooler that does not keep them (PgBouncer before 1.21 in transaction mode).
   */
  preparedStatements?: boolean;
}

/** Distinct statements prepared at most, per connection. */
const PREPARED_STATEMENTS = 256;

/**
 * PostgreSQL through a pool as `pg` shapes it, its atomic batches committed in groups
 * (postgres-group-commit.ts). Made with `{ pipeline: true }` (`pg` ≥ 8.23), its clients send each
 * group in one round trip; without, one round trip per statement.
 */
export function postgresDriver(
  pool: PostgresPool & { connect(): Promise<PipelineClient> },
  options: PostgresDriverOptions = {},
): StorageDriver & { close(): Promise<void> } {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const nameOf = options.preparedStatements ? statementNames(PREPARED_STATEMENTS) : () => undefined;
  return {
    db,
    atomic: postgresGroupCommit(pool, nameOf),
    maxBindParams: 65_535,
    skipLocked: true,
    violation: postgresViolation,
    close: () => db.destroy(),
  };
}

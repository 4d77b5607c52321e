import type { Kysely } from 'kysely';
import type { AtomicExecutor, ConstraintViolation, StorageDriver } from './driver';
import type { Database } from './schema';

/** A constraint to recognise in an error: a unique key by its table, a check by its name. */
/** A constraint to recognise: a table's unique key, a named CHECK, or any foreign key (SQLite names none). */
export type ConstraintRef =
  | { kind: 'unique'; table: string }
  | { kind: 'check'; constraint: string }
  | { kind: 'foreign_key' };

/** The storage driver as the core uses it: typed, with one way to recognise constraint violations. */
export interface Store {
  db: Kysely<Database>;
  atomic: AtomicExecutor;
  maxBindParams: number;
  /** Claims may pass over rows another transaction holds (`StorageDriver.skipLocked`). */
  skipLocked: boolean;
  /** Whether `error` is a violation of `ref` (e.g. the balance CHECK, or a duplicate contact). */
  violates(error: unknown, ref: ConstraintRef): boolean;
}

function matches(v: ConstraintViolation, ref: ConstraintRef) {
  if (ref.kind === 'unique') return v.kind === 'unique' && v.table === ref.table;
  if (ref.kind === 'check') return v.kind === 'check' && v.constraint === ref.constraint;
  return v.kind === 'foreign_key';
}

/** Wraps a runtime's driver once: checks its limit, skips empty batches, names its violations. */
export function createStore(driver: StorageDriver): Store {
  if (!Number.isInteger(driver.maxBindParams) || driver.maxBindParams < 1)
    throw new RangeError(`maxBindParams must be a positive integer, got ${driver.maxBindParams}`);
  return {
    db: driver.db,
    maxBindParams: driver.maxBindParams,
    skipLocked: driver.skipLocked === true,
    atomic: (queries) => (queries.length === 0 ? Promise.resolve([]) : driver.atomic(queries)),
    violates(error, ref) {
      const v = driver.violation(error);
      return v !== null && matches(v, ref);
    },
  };
}

/** Splits rows so that no multi-row insert binds more than `maxBindParams` parameters. */
export function chunkRows<T extends object>(rows: readonly T[], maxBindParams: number): T[][] {
  const first = rows[0];
  if (!first) return [];
  const perRow = Object.keys(first).length;
  const size = Math.max(1, Math.floor(maxBindParams / perRow));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

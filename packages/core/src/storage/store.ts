import type { CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema';

/**
 * Runs compiled statements all-or-nothing. The default uses a Kysely transaction (SQLite, PostgreSQL);
 * a runtime without interactive transactions (D1) passes its batch call instead.
 */
export type AtomicExecutor = (queries: readonly CompiledQuery[]) => Promise<QueryResult<unknown>[]>;

export interface Store {
  db: Kysely<Database>;
  atomic: AtomicExecutor;
  /** Most bound parameters one statement may carry (SQLite 32766, PostgreSQL 65535, D1 100). */
  maxBindParams: number;
}

export function transactionExecutor(db: Kysely<Database>): AtomicExecutor {
  return async (queries) => {
    // One statement is atomic by itself: no BEGIN/COMMIT round trips for it.
    if (queries.length === 1) return [await db.executeQuery(queries[0]!)];
    return db.transaction().execute(async (trx) => {
      const results: QueryResult<unknown>[] = [];
      for (const q of queries) results.push(await trx.executeQuery(q));
      return results;
    });
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

const text = (e: unknown) =>
  `${(e as { message?: unknown })?.message ?? ''} ${(e as { constraint?: unknown })?.constraint ?? ''}`;

/** The debit would have taken a balance below zero (CHECK accounts_balance_nonnegative). */
export const isBalanceViolation = (e: unknown) => text(e).includes('accounts_balance_nonnegative');

/** A unique or primary key constraint failed (SQLite, D1 and PostgreSQL wordings). */
export const isUniqueViolation = (e: unknown) =>
  /UNIQUE constraint failed|duplicate key value|PRIMARY KEY constraint failed/i.test(text(e)) ||
  (e as { code?: unknown })?.code === '23505';

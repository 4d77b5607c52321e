import {
  type CompiledQuery,
  Kysely,
  PostgresDialect,
  type PostgresPool,
  type QueryResult,
  sql,
} from 'kysely';
import type { AtomicExecutor, BatchOutcome, ConstraintViolation, StorageDriver } from './driver';

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

interface Pending {
  queries: readonly CompiledQuery[];
  resolve(results: QueryResult<unknown>[]): void;
  reject(error: unknown): void;
}

/** Serialization failures and deadlocks: PostgreSQL aborted the whole transaction, not one batch in it. */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * PostgreSQL through a pool as `pg` shapes it. Atomic batches that arrive while another group is being
 * committed wait and then commit together: one transaction (run again with a savepoint per batch when
 * one failed, so that batch rolls back alone), one COMMIT, so one flush to disk for many writes. Without it every send of an
 * account waited for the previous one's flush on the rows they share (its balance, its rate limits).
 * A single statement with nothing else waiting runs by itself, as before.
 */
export function postgresDriver(pool: PostgresPool): StorageDriver & { close(): Promise<void> } {
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  let queue: Pending[] = [];
  let committing = false;

  async function runAlone(item: Pending) {
    try {
      if (item.queries.length === 1) return item.resolve([await db.executeQuery(item.queries[0]!)]);
      item.resolve(
        await db.transaction().execute(async (trx) => {
          const results: QueryResult<unknown>[] = [];
          for (const q of item.queries) results.push(await trx.executeQuery(q));
          return results;
        }),
      );
    } catch (error) {
      item.reject(error);
    }
  }

  /**
   * The group in one transaction. Optimistic: no savepoints, the first failure aborts it all (thrown).
   * Careful: a savepoint per batch, so a batch that fails is rolled back alone and reported as its outcome.
   */
  function inTransaction(group: Pending[], careful: boolean): Promise<BatchOutcome[]> {
    return db.connection().execute(async (conn) => {
      const run = async (item: Pending) => {
        const results: QueryResult<unknown>[] = [];
        for (const q of item.queries) results.push(await conn.executeQuery(q));
        return results;
      };
      const inSavepoint = async (item: Pending): Promise<BatchOutcome> => {
        await sql`savepoint batch`.execute(conn);
        try {
          const ok = await run(item);
          await sql`release savepoint batch`.execute(conn);
          return { ok };
        } catch (error) {
          if (RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
          await sql`rollback to savepoint batch`.execute(conn);
          await sql`release savepoint batch`.execute(conn);
          return { error };
        }
      };
      await sql`begin`.execute(conn);
      try {
        const outcomes: BatchOutcome[] = [];
        for (const item of group) outcomes.push(careful ? await inSavepoint(item) : { ok: await run(item) });
        await sql`commit`.execute(conn);
        return outcomes;
      } catch (error) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw error;
      }
    });
  }

  async function commitGroup(group: Pending[]) {
    let outcomes: BatchOutcome[];
    try {
      // Batches rarely fail: savepoints (two round trips a batch) only for a group in which one did.
      outcomes = await inTransaction(group, false).catch(() => inTransaction(group, true));
    } catch {
      // The transaction as a whole failed (a deadlock with another process, a lost connection): each
      // batch runs again on its own, so one batch's conflict is not every batch's.
      await Promise.all(group.map(runAlone));
      return;
    }
    group.forEach((item, i) => {
      const o = outcomes[i]!;
      if ('ok' in o) item.resolve(o.ok);
      else item.reject(o.error);
    });
  }

  async function drain() {
    committing = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      if (group.length === 1) await runAlone(group[0]!);
      else await commitGroup(group);
    }
    committing = false;
  }

  const atomic: AtomicExecutor = (queries) =>
    new Promise((resolve, reject) => {
      queue.push({ queries, resolve, reject });
      if (!committing) void drain();
    });

  return {
    db,
    atomic,
    maxBindParams: 65_535,
    violation: postgresViolation,
    close: () => db.destroy(),
  };
}

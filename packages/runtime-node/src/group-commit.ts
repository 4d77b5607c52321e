import type { AtomicExecutor } from '@mifumo/core';
import type BetterSqlite3 from 'better-sqlite3';
import type { QueryResult } from 'kysely';

type Pending = {
  queries: Parameters<AtomicExecutor>[0];
  resolve: (results: QueryResult<unknown>[]) => void;
  reject: (e: unknown) => void;
};

/**
 * The SQLite atomic executor: every batch that arrives in one turn of the event loop is written in a
 * single transaction (one commit, one WAL write), each inside its own savepoint, so a batch that fails
 * (a debit past zero) is rolled back alone and the others still commit. better-sqlite3 is synchronous,
 * so the whole group runs without interleaving; nothing else may open a transaction on this connection.
 */
export function groupCommitExecutor(
  sqlite: BetterSqlite3.Database,
  prepare: (sql: string) => BetterSqlite3.Statement,
): AtomicExecutor {
  let queue: Pending[] = [];
  const begin = sqlite.prepare('BEGIN IMMEDIATE');
  const commit = sqlite.prepare('COMMIT');
  const rollback = sqlite.prepare('ROLLBACK');
  const savepoint = sqlite.prepare('SAVEPOINT batch');
  const release = sqlite.prepare('RELEASE batch');
  const rollbackTo = sqlite.prepare('ROLLBACK TO batch');

  function run(sql: string, parameters: readonly unknown[]): QueryResult<unknown> {
    const stmt = prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  function flush() {
    const group = queue;
    queue = [];
    const outcomes: ({ ok: QueryResult<unknown>[] } | { error: unknown })[] = [];
    try {
      begin.run();
      for (const item of group) {
        savepoint.run();
        try {
          outcomes.push({ ok: item.queries.map((q) => run(q.sql, q.parameters)) });
          release.run();
        } catch (error) {
          rollbackTo.run();
          release.run();
          outcomes.push({ error });
        }
      }
      commit.run();
    } catch (error) {
      if (sqlite.inTransaction) rollback.run();
      for (const item of group) item.reject(error);
      return;
    }
    group.forEach((item, i) => {
      const o = outcomes[i]!;
      if ('ok' in o) item.resolve(o.ok);
      else item.reject(o.error);
    });
  }

  return (queries) =>
    new Promise((resolve, reject) => {
      if (queue.push({ queries, resolve, reject }) === 1) setImmediate(flush);
    });
}

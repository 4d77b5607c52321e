import { Kysely, type QueryResult, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { AtomicExecutor, StorageDriver } from './driver';
import { sqliteViolation } from './sqlite-violation';

/** A synchronous SQLite connection as better-sqlite3 shapes it (only what is used), so any such client fits. */
export interface SqliteClient extends SqliteDatabase {
  readonly inTransaction: boolean;
}

export interface SqliteDriverOptions {
  /**
   * Schedules the group commit after the current turn of the event loop, so every batch that arrives
   * in it shares one transaction. Node: `setImmediate`. Default: `setTimeout(fn, 0)`.
   */
  defer?: (flush: () => void) => void;
  /** Prepared statements kept, by SQL text. */
  statementCache?: number;
}

type Pending = {
  queries: Parameters<AtomicExecutor>[0];
  resolve: (results: QueryResult<unknown>[]) => void;
  reject: (e: unknown) => void;
};

/** Caches prepared statements by SQL text: Kysely prepares on every call, the hot path repeats a few dozen. */
function cachingClient(client: SqliteClient, size: number): SqliteClient {
  const statements = new Map<string, SqliteStatement>();
  return {
    get inTransaction() {
      return client.inTransaction;
    },
    close: () => client.close(),
    prepare(sql) {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = client.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
        statements.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * Group commit: every batch that arrives in one turn of the event loop is written in a single
 * transaction (one commit, one WAL write), each inside its own savepoint, so a batch that fails (a
 * debit past zero) is rolled back alone and the others still commit. The client is synchronous, so the
 * whole group runs without interleaving; nothing else may open a transaction on this connection.
 */
function groupCommit(client: SqliteClient, defer: (flush: () => void) => void): AtomicExecutor {
  let queue: Pending[] = [];
  const control = (sql: string) => {
    const stmt = client.prepare(sql);
    return () => stmt.run([]);
  };
  const begin = control('BEGIN IMMEDIATE');
  const commit = control('COMMIT');
  const rollback = control('ROLLBACK');
  const savepoint = control('SAVEPOINT batch');
  const release = control('RELEASE batch');
  const rollbackTo = control('ROLLBACK TO batch');

  function run(sql: string, parameters: readonly unknown[]): QueryResult<unknown> {
    const stmt = client.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  function flush() {
    const group = queue;
    queue = [];
    const outcomes: ({ ok: QueryResult<unknown>[] } | { error: unknown })[] = [];
    try {
      begin();
      for (const item of group) {
        savepoint();
        try {
          outcomes.push({ ok: item.queries.map((q) => run(q.sql, q.parameters)) });
          release();
        } catch (error) {
          rollbackTo();
          release();
          outcomes.push({ error });
        }
      }
      commit();
    } catch (error) {
      if (client.inTransaction) rollback();
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
      if (queue.push({ queries, resolve, reject }) === 1) defer(flush);
    });
}

/** SQLite through a synchronous client (better-sqlite3 on Node): statement cache and group commit. */
export function sqliteDriver(
  client: SqliteClient,
  options: SqliteDriverOptions = {},
): StorageDriver & { close(): Promise<void> } {
  const cached = cachingClient(client, options.statementCache ?? 256);
  const db = new Kysely({ dialect: new SqliteDialect({ database: cached }) });
  return {
    db,
    atomic: groupCommit(cached, options.defer ?? ((flush) => setTimeout(flush, 0))),
    maxBindParams: 32_766,
    violation: sqliteViolation,
    close: () => db.destroy(),
  };
}

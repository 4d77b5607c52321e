import { Kysely, type QueryResult, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type { AtomicExecutor, BatchOutcome, StorageDriver } from './driver';
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
  /**
   * Another connection writes to the same file (another thread or process): while it holds the write
   * lock, a group commit waits by retrying every millisecond from the event loop (which goes on
   * answering meanwhile, and the group grows) instead of in SQLite's busy handler, which sleeps the
   * whole thread; after `busyTimeoutMs` it waits in SQLite as before. `setBusyTimeout` sets the
   * connection's `busy_timeout` (SQLite applies that pragma when it is prepared, so it is prepared
   * each time: better-sqlite3's `pragma`); it is `busyTimeoutMs` but while the lock is tried.
   */
  sharedWrites?: SharedWrites;
}

export interface SharedWrites {
  busyTimeoutMs: number;
  setBusyTimeout(ms: number): void;
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
 * transaction (one commit, one WAL write). The group runs first without savepoints; only when one of
 * its batches fails (a debit past zero, a limit refused) is it rolled back and run again with a
 * savepoint per batch, so the failed batch is rolled back alone and the others still commit. The client
 * is synchronous, so the whole group runs without interleaving; nothing else may open a transaction on
 * this connection.
 */
function groupCommit(
  client: SqliteClient,
  defer: (flush: () => void) => void,
  shared: SharedWrites | undefined,
): AtomicExecutor {
  const queue: Pending[] = [];
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
  const runBatch = (item: Pending) => item.queries.map((q) => run(q.sql, q.parameters));

  /** Its results; a failure throws (and leaves the transaction open for the caller to roll back). */
  const plain = (item: Pending): BatchOutcome => ({ ok: runBatch(item) });
  /** In its own savepoint: a failure is rolled back alone and becomes its outcome. */
  function inSavepoint(item: Pending): BatchOutcome {
    savepoint();
    try {
      const ok = runBatch(item);
      release();
      return { ok };
    } catch (error) {
      rollbackTo();
      release();
      return { error };
    }
  }
  function inTransaction(group: Pending[], each: (item: Pending) => BatchOutcome): BatchOutcome[] {
    begin();
    return inBegun(group, each);
  }
  function inBegun(group: Pending[], each: (item: Pending) => BatchOutcome): BatchOutcome[] {
    const outcomes = group.map(each);
    commit();
    return outcomes;
  }

  /** When the write lock was first found taken for the group waiting, or null. */
  let busySince: number | null = null;
  /** Whether the write lock was taken at once (false: another connection holds it). */
  function beganAtOnce(): boolean {
    if (!shared) {
      begin();
      return true;
    }
    shared.setBusyTimeout(0);
    try {
      begin();
      return true;
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return false;
      throw e;
    } finally {
      shared.setBusyTimeout(shared.busyTimeoutMs);
    }
  }

  function flush() {
    let began: boolean;
    try {
      began = beganAtOnce();
    } catch (error) {
      for (const item of queue.splice(0)) item.reject(error);
      return;
    }
    if (!began) {
      busySince ??= Date.now();
      // Until the timeout; then the group begins waiting in SQLite (and fails after its busy_timeout).
      if (Date.now() - busySince < shared!.busyTimeoutMs) {
        setTimeout(flush, 1);
        return;
      }
    }
    busySince = null;
    commitGroup(queue.splice(0), began);
  }

  function commitGroup(group: Pending[], begun: boolean) {
    let outcomes: BatchOutcome[];
    try {
      try {
        outcomes = begun ? inBegun(group, plain) : inTransaction(group, plain);
      } catch (error) {
        if (client.inTransaction) rollback();
        if (group.length > 1) outcomes = inTransaction(group, inSavepoint);
        else outcomes = [{ error }];
      }
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
    atomic: groupCommit(cached, options.defer ?? ((flush) => setTimeout(flush, 0)), options.sharedWrites),
    maxBindParams: 32_766,
    violation: sqliteViolation,
    close: () => db.destroy(),
  };
}

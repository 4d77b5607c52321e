import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Database, Store } from '@mifumo/core';
import { transactionExecutor } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { groupCommitExecutor } from './group-commit';

export interface OpenDatabase extends Store {
  dialect: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const STATEMENT_CACHE = 256;

/**
 * better-sqlite3 with its prepared statements cached by SQL text (Kysely prepares on every call),
 * WAL so readers never wait for the writer, a busy timeout for other processes on the same file, and
 * group commit for the atomic batches.
 */
function openSqlite(path: string): OpenDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const statements = new Map<string, BetterSqlite3.Statement>();
  const database = {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = statements.get(sql);
      if (!stmt) {
        stmt = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
        statements.set(sql, stmt);
      }
      return stmt;
    },
  };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  return {
    dialect: 'sqlite',
    db,
    atomic: groupCommitExecutor(sqlite, database.prepare),
    maxBindParams: 32_766,
    close: () => db.destroy(),
  };
}

function openPostgres(url: string): OpenDatabase {
  // bigint columns hold money in minor units, far below 2^53: read them as numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? Number : pg.types.getTypeParser(oid, format),
  };
  const pool = new pg.Pool({ connectionString: url, max: 10, types: types as pg.CustomTypesConfig });
  // An idle client's connection can drop (server restart, admin shutdown); the pool discards it and
  // opens another when needed. Unhandled, the event would crash the process.
  pool.on('error', (e: Error & { code?: string }) => {
    if (e.code !== '57P01') console.error('PostgreSQL idle client error:', e.message);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    atomic: transactionExecutor(db),
    maxBindParams: 65_535,
    close: () => db.destroy(),
  };
}

/** `file:./path.db`, `file::memory:`, `:memory:` (SQLite) or `postgres://…` / `postgresql://…`. */
export function openDatabase(url: string): OpenDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url === ':memory:' || url === 'file::memory:') return openSqlite(':memory:');
  if (url.startsWith('file:')) return openSqlite(url.slice('file:'.length));
  throw new Error(`DATABASE_URL must be file:<path> or postgres://…, got ${url}`);
}

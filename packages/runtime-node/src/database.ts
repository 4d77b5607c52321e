import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { postgresDriver, type StorageDriver, sqliteDriver } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';

export interface NodeDatabase extends StorageDriver {
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

/**
 * better-sqlite3 in WAL mode (readers never wait for the writer), with a busy timeout for other
 * processes on the same file; batches arriving in one event-loop turn share a commit (setImmediate).
 */
function openSqlite(path: string): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  return { kind: 'sqlite', ...sqliteDriver(sqlite, { defer: setImmediate }) };
}

function openPostgres(url: string): NodeDatabase {
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
  return { kind: 'postgres', ...postgresDriver(pool) };
}

/** `file:./path.db`, `file::memory:`, `:memory:` (SQLite) or `postgres://…` / `postgresql://…`. */
export function openDatabase(url: string): NodeDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url === ':memory:' || url === 'file::memory:') return openSqlite(':memory:');
  if (url.startsWith('file:')) return openSqlite(url.slice('file:'.length));
  throw new Error(`DATABASE_URL must be file:<path> or postgres://…, got ${url}`);
}

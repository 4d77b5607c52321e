import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { postgresDriver, type StorageDriver, sqliteDriver } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { SettingsError } from './settings';

export interface OpenOptions {
  /**
   * Who copies a SQLite file's WAL back into the database. `commits` (default): a commit that finds it
   * past 1,000 pages, as SQLite does. `timer`: this connection, every `CHECKPOINT_EVERY_MS` (PASSIVE:
   * it never waits for, nor blocks, the writer or readers), not its commits; the gateway's work thread
   * does it, so that no commit of the API stops to copy the WAL back and flush the file.
   * `elsewhere`: never this connection (the gateway's API connection; its work thread's does it).
   */
  checkpoints?: 'commits' | 'timer' | 'elsewhere';
  /**
   * Hears what fails outside any query: a `timer` checkpoint, a PostgreSQL connection that drops (the
   * pool opens another when needed). Default: the console.
   */
  onError?: (what: string, e: Error) => void;
}

export interface NodeDatabase extends StorageDriver {
  kind: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const toConsole = (what: string, e: Error) => console.error(`${what}: ${e.message}`);

/** How often a `timer` connection checkpoints the WAL. */
const CHECKPOINT_EVERY_MS = 200;

/** How long a write waits for another connection's write lock before it fails. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * SQLite's page cache per connection, in KiB. What a gateway reads again and again (the B-tree pages
 * its inserts append to, the indexes of its claims, receipts and outbox) is a few MiB; a larger cache
 * only fills up with pages of older rows as the file grows, and keeps them resident: at 64 MiB the
 * gateway's RSS grew with every message sent until the cache was full (bench/memory.ts).
 */
const PAGE_CACHE_KIB = 8192;

/**
 * better-sqlite3 in WAL mode (readers never wait for the writer), with a busy timeout for other
 * processes on the same file; batches arriving in one event-loop turn share a commit (setImmediate).
 */
function openSqlite(path: string, options: OpenOptions): NodeDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  sqlite.pragma('temp_store = MEMORY');
  const driver = sqliteDriver(sqlite, {
    defer: setImmediate,
    // The gateway's work thread (or another process) writes to the same file.
    ...(path === ':memory:'
      ? {}
      : {
          sharedWrites: {
            busyTimeoutMs: BUSY_TIMEOUT_MS,
            setBusyTimeout: (ms: number) => sqlite.pragma(`busy_timeout = ${ms}`),
          },
        }),
  });
  const checkpoints = path === ':memory:' ? 'commits' : (options.checkpoints ?? 'commits');
  if (checkpoints === 'commits') return { kind: 'sqlite', ...driver };
  sqlite.pragma('wal_autocheckpoint = 0');
  if (checkpoints === 'elsewhere') return { kind: 'sqlite', ...driver };
  const report = options.onError ?? toConsole;
  const timer = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch (e) {
      report('WAL checkpoint failed', e as Error);
    }
  }, CHECKPOINT_EVERY_MS);
  timer.unref();
  return {
    kind: 'sqlite',
    ...driver,
    close() {
      clearInterval(timer);
      return driver.close();
    },
  };
}

function openPostgres(url: string, options: OpenOptions): NodeDatabase {
  // bigint columns hold money in minor units, far below 2^53: read them as numbers.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 20 ? Number : pg.types.getTypeParser(oid, format),
  };
  // Pipelining clients: the driver writes a commit group's statements at once, one round trip for all,
  // as prepared statements (a server behind PgBouncer needs 1.21 or later, max_prepared_statements > 0).
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    pipeline: true,
    types: types as pg.CustomTypesConfig,
  });
  // A client's connection can drop (server restart, admin shutdown, network): its queries fail (their
  // callers see it), the pool discards it and opens another when needed. The client emits the error
  // whether idle or checked out (a query or a commit group under way); the pool re-emits only an idle
  // one's. Unheard, either would crash the process: the client's own listener reports it.
  const report = options.onError ?? toConsole;
  pool.on('error', () => {});
  pool.on('connect', (client) => {
    client.on('error', (e: Error & { code?: string }) => {
      if (e.code !== '57P01') report('PostgreSQL connection lost', e);
    });
  });
  return { kind: 'postgres', ...postgresDriver(pool, { preparedStatements: true }) };
}

/** `file:./path.db`, `file::memory:`, `:memory:` (SQLite) or `postgres://…` / `postgresql://…`. */
export function openDatabase(url: string, options: OpenOptions = {}): NodeDatabase {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  if (url === ':memory:' || url === 'file::memory:') return openSqlite(':memory:', options);
  if (url.startsWith('file:')) return openSqlite(url.slice('file:'.length), options);
  throw new SettingsError(`DATABASE_URL must be file:<path> or postgres://…, got ${url}`);
}

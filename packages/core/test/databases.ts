import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest, postgresDriver, sqliteDriver } from '../src/index';
import { freshPostgres } from '../src/testing';

export const PG_ADMIN_URL = process.env.MIFUMO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A storage driver for core's tests: `:memory:` or `file:<path>` (better-sqlite3), or `postgres://…`
 * (pg, with its default type parsing: bigint columns arrive as strings, as they would for any user).
 */
export function openTestDatabase(url = ':memory:') {
  if (url.startsWith('postgres')) {
    const pool = new pg.Pool({ connectionString: url, max: 10, pipeline: true });
    pool.on('error', () => {}); // idle clients cut by the `drop database … with (force)` that ends a test
    return postgresDriver(pool, { preparedStatements: true }); // as the Node runtime opens it
  }
  const sqlite = new BetterSqlite3(url === ':memory:' ? url : url.slice('file:'.length));
  sqlite.pragma('foreign_keys = ON');
  if (url !== ':memory:') sqlite.pragma('journal_mode = WAL');
  return sqliteDriver(sqlite, { defer: setImmediate });
}

export type TestDatabase = ReturnType<typeof openTestDatabase>;

/**
 * A fresh PostgreSQL database for this run, dropped afterwards: a copy of the run's migrated template
 * (postgres-template.ts), so it is migrated already, or empty when there is none.
 */
export const freshTestPostgres = () =>
  freshPostgres(PG_ADMIN_URL, openTestDatabase, { template: inject('pgTemplate') ?? undefined });

export interface FreshDatabase {
  storage: TestDatabase;
  drop(): Promise<void>;
}

/** Each engine the core's storage-dependent tests run on: a fresh database there, and how to drop it. */
export const ENGINES: [string, () => Promise<FreshDatabase>][] = [
  ['SQLite', async () => ({ storage: openTestDatabase(), drop: async () => {} })],
  [
    'PostgreSQL',
    async () => {
      const pg = await freshTestPostgres();
      return { storage: openTestDatabase(pg.url), drop: pg.drop };
    },
  ],
];

/** One database opened twice, as two processes open it, migrated; `drop` closes both and removes it. */
export interface SharedDatabase {
  connections: [TestDatabase, TestDatabase];
  drop(): Promise<void>;
}

async function openTwice(url: string, remove: () => Promise<void>): Promise<SharedDatabase> {
  const connections: [TestDatabase, TestDatabase] = [openTestDatabase(url), openTestDatabase(url)];
  await migrateToLatest(connections[0].db);
  return {
    connections,
    async drop() {
      for (const c of connections) await c.close();
      await remove();
    },
  };
}

/** Each engine several processes can share: a SQLite file, a PostgreSQL database. */
export const SHARED_ENGINES: [string, () => Promise<SharedDatabase>][] = [
  [
    'a SQLite file',
    () =>
      openTwice(`file:${join(mkdtempSync(join(tmpdir(), 'mifumo-shared-')), 'shared.db')}`, async () => {}),
  ],
  [
    'PostgreSQL',
    async () => {
      const pg = await freshTestPostgres();
      return openTwice(pg.url, pg.drop);
    },
  ],
];

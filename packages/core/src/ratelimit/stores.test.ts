import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase, type TestDatabase } from '../../test/databases';
import { migrateToLatest } from '../storage/migrations';
import { createStore } from '../storage/store';
import { runRateLimitStoreConformance } from '../testing';
import { kyselyRateLimitStore } from './kysely-store';
import { memoryRateLimitStore } from './memory-store';

const opened: TestDatabase[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
  for (const drop of drops) await drop();
});

async function onDatabase(url: string) {
  const database = openTestDatabase(url);
  opened.push(database);
  await migrateToLatest(database.db);
  return kyselyRateLimitStore(createStore(database));
}

runRateLimitStoreConformance('memory', memoryRateLimitStore);
runRateLimitStoreConformance('Kysely on in-memory SQLite', () => onDatabase(':memory:'));
runRateLimitStoreConformance('Kysely on a SQLite file', () =>
  onDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'mifumo-rl-')), 'rl.db')}`),
);
runRateLimitStoreConformance('Kysely on PostgreSQL', async () => {
  const pg = await freshTestPostgres();
  drops.push(pg.drop);
  return onDatabase(pg.url);
});

it('prunes around keys another transaction holds instead of waiting for them (PostgreSQL)', async () => {
  const database = await freshTestPostgres();
  drops.push(database.drop);
  const store = await onDatabase(database.url);
  const rule = { limit: 10, windowMs: 10_000 };
  await store.consume('held', 1, rule, 1000);
  await store.consume('idle', 1, rule, 1000);
  const other = new pg.Client(database.url);
  await other.connect();
  try {
    await other.query('begin');
    await other.query(`select 1 from rate_limits where key = 'held' for update`); // a send taking from it
    expect(await store.prune(1_000_000)).toBe(1);
    await other.query('commit');
    expect(await store.prune(1_000_000)).toBe(1);
  } finally {
    await other.end();
  }
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
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

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type OpenDatabase, openDatabase } from '@mifumo/runtime-node';
import { freshPostgres } from '@mifumo/runtime-node/testing';
import { afterAll } from 'vitest';
import { migrateToLatest } from '../storage/migrations';
import { runRateLimitStoreConformance } from '../testing';
import { kyselyRateLimitStore } from './kysely-store';
import { memoryRateLimitStore } from './memory-store';

const opened: OpenDatabase[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
  for (const drop of drops) await drop();
});

async function onDatabase(url: string) {
  const database = openDatabase(url);
  opened.push(database);
  await migrateToLatest(database.db);
  return kyselyRateLimitStore(database);
}

runRateLimitStoreConformance('memory', memoryRateLimitStore);
runRateLimitStoreConformance('Kysely on in-memory SQLite', () => onDatabase(':memory:'));
runRateLimitStoreConformance('Kysely on a SQLite file', () =>
  onDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'mifumo-rl-')), 'rl.db')}`),
);
runRateLimitStoreConformance('Kysely on PostgreSQL', async () => {
  const pg = await freshPostgres();
  drops.push(pg.drop);
  return onDatabase(pg.url);
});

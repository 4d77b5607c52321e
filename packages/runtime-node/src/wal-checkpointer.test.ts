import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openDatabase } from './database';

/** Writes about 400 pages to the WAL (well under the 1,000 that would make a commit checkpoint). */
async function fill(database: ReturnType<typeof openDatabase>) {
  await sql`create table t (id integer primary key, v text not null)`.execute(database.db);
  const rows = Array.from({ length: 400 }, (_, i) => sql`(${i}, ${'x'.repeat(3000)})`);
  await sql`insert into t (id, v) values ${sql.join(rows)}`.execute(database.db);
}

/** Until `check` holds (20 s at most: CI runs loaded); whether it does. */
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
};

it('copies the WAL into the database file from a worker thread, and stops with the database', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mifumo-wal-')), 'gw.db');
  const errors: string[] = [];
  const database = openDatabase(`file:${path}`, {
    checkpointInBackground: { onError: (m) => errors.push(m) },
  });
  const before = statSync(path).size;
  await fill(database);
  // No commit checkpoints (wal_autocheckpoint is 0): only the worker can have grown the file.
  expect(await waitFor(() => statSync(path).size > before + 1_000_000)).toBe(true);
  const [row] = (await sql<{ n: number }>`select count(*) as n from t`.execute(database.db)).rows;
  expect(row?.n).toBe(400);
  await database.close();
  expect(errors).toEqual([]);
});

it('leaves checkpoints to commits without the option (the CLI, short-lived tools)', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'mifumo-wal-')), 'cli.db');
  const database = openDatabase(`file:${path}`);
  const before = statSync(path).size;
  await fill(database);
  await new Promise((r) => setTimeout(r, 600));
  expect(statSync(path).size).toBe(before); // still only in the WAL
  await database.close();
});

import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { type OpenOptions, openDatabase } from './database';

/** A fresh SQLite file with about 400 pages written to its WAL (well under the 1,000 that make a commit checkpoint). */
async function filled(options?: OpenOptions) {
  const path = join(mkdtempSync(join(tmpdir(), 'mifumo-wal-')), 'gw.db');
  const database = openDatabase(`file:${path}`, options);
  const before = statSync(path).size;
  await sql`create table t (id integer primary key, v text not null)`.execute(database.db);
  const rows = Array.from({ length: 400 }, (_, i) => sql`(${i}, ${'x'.repeat(3000)})`);
  await sql`insert into t (id, v) values ${sql.join(rows)}`.execute(database.db);
  return { database, grown: () => statSync(path).size > before + 1_000_000 };
}

/** Until `check` holds (20 s at most: CI runs loaded); whether it does. */
const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  return check();
};

it('timer: copies the WAL into the database file between commits, and stops with the database', async () => {
  const errors: string[] = [];
  const { database, grown } = await filled({
    checkpoints: 'timer',
    onError: (what) => errors.push(what),
  });
  expect(await waitFor(grown)).toBe(true);
  const [row] = (await sql<{ n: number }>`select count(*) as n from t`.execute(database.db)).rows;
  expect(row?.n).toBe(400);
  await database.close();
  expect(errors).toEqual([]);
});

it('elsewhere, and commits (the default) under 1,000 pages: the WAL is left as it is', async () => {
  for (const checkpoints of ['elsewhere', undefined] as const) {
    const { database, grown } = await filled(checkpoints ? { checkpoints } : {});
    await new Promise((r) => setTimeout(r, 600));
    expect(grown()).toBe(false); // still only in the WAL
    await database.close();
  }
});

it('elsewhere: not even past 1,000 pages (another connection checkpoints)', async () => {
  const { database, grown } = await filled({ checkpoints: 'elsewhere' });
  const rows = Array.from({ length: 800 }, (_, i) => sql`(${1000 + i}, ${'y'.repeat(3000)})`);
  await sql`insert into t (id, v) values ${sql.join(rows)}`.execute(database.db);
  await sql`insert into t (id, v) values (5000, 'z')`.execute(database.db);
  expect(grown()).toBe(false);
  await database.close();
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteDriver } from './sqlite';

let database: ReturnType<typeof sqliteDriver>;
beforeEach(async () => {
  database = sqliteDriver(new BetterSqlite3(join(mkdtempSync(join(tmpdir(), 'mifumo-gc-')), 'gc.db')), {
    defer: setImmediate,
  });
  await sql`create table t (id integer primary key, v integer not null check (v >= 0))`.execute(database.db);
});
afterEach(() => database.close());

const insert = (id: number, v: number) =>
  sql`insert into t (id, v) values (${id}, ${v})`.compile(database.db);

it('commits concurrent batches together, and rolls back only the one that fails', async () => {
  const results = await Promise.allSettled([
    database.atomic([insert(1, 1), insert(2, 2)]),
    database.atomic([insert(3, 3), insert(4, -1)]), // CHECK fails: 3 must not stay either
    database.atomic([insert(5, 5)]),
    database.atomic([insert(1, 9)]), // duplicate key
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
  const rows = await sql<{ id: number }>`select id from t order by id`.execute(database.db);
  expect(rows.rows.map((r) => r.id)).toEqual([1, 2, 5]);
});

it('returns rows of statements that return them', async () => {
  const [r] = await database.atomic([
    sql`insert into t (id, v) values (7, 7) returning id`.compile(database.db),
  ]);
  expect(r!.rows).toEqual([{ id: 7 }]);
});

it('names the constraint a batch broke', async () => {
  const failure = (q: ReturnType<typeof insert>) =>
    database.atomic([q]).then(
      () => null,
      (e: unknown) => e,
    );
  expect(database.violation(await failure(insert(8, -1)))).toMatchObject({ kind: 'check' });
  await database.atomic([insert(9, 9)]);
  expect(database.violation(await failure(insert(9, 1)))).toEqual({
    kind: 'unique',
    table: 't',
    constraint: null,
  });
});

it('answers every batch of a group run again after one failed, with its own rows', async () => {
  const returning = (id: number) =>
    sql`insert into t (id, v) values (${id}, ${id}) returning id`.compile(database.db);
  const results = await Promise.allSettled([
    database.atomic([returning(11)]),
    database.atomic([insert(12, -1)]),
    database.atomic([returning(13), returning(14)]),
  ]);
  expect(results.map((r) => (r.status === 'fulfilled' ? r.value.map((q) => q.rows) : 'refused'))).toEqual([
    [[{ id: 11 }]],
    'refused',
    [[{ id: 13 }], [{ id: 14 }]],
  ]);
});

describe('with another connection writing to the same file', () => {
  function shared(busyTimeoutMs: number) {
    const path = join(mkdtempSync(join(tmpdir(), 'mifumo-gc-')), 'shared.db');
    const ours = new BetterSqlite3(path);
    ours.pragma('journal_mode = WAL');
    ours.pragma(`busy_timeout = ${busyTimeoutMs}`);
    ours.exec('create table t (id integer primary key, v integer not null)');
    const driver = sqliteDriver(ours, {
      defer: setImmediate,
      sharedWrites: { busyTimeoutMs, setBusyTimeout: (ms) => ours.pragma(`busy_timeout = ${ms}`) },
    });
    return {
      driver,
      other: new BetterSqlite3(path),
      insert: (id: number) => sql`insert into t (id, v) values (${id}, 0)`.compile(driver.db),
    };
  }

  it('waits for its write lock from the event loop, which goes on meanwhile, then commits', async () => {
    const { driver, other, insert } = shared(5000);
    other.exec('begin immediate; insert into t (id, v) values (1, 0)');
    const write = driver.atomic([insert(2)]);
    let ticks = 0;
    const ticking = setInterval(() => ticks++, 5);
    await new Promise((r) => setTimeout(r, 100)); // SQLite's own wait would hold this thread for 5 s
    other.exec('commit');
    await write;
    clearInterval(ticking);
    expect(ticks).toBeGreaterThan(3);
    expect(other.prepare('select id from t order by id').pluck().all()).toEqual([1, 2]);
    other.close();
    await driver.close();
  });

  it('gives up with SQLITE_BUSY once the lock has been held past its busy timeout', async () => {
    const { driver, other, insert } = shared(50);
    other.exec('begin immediate');
    await expect(driver.atomic([insert(1)])).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    other.exec('rollback');
    await driver.atomic([insert(1)]);
    other.close();
    await driver.close();
  });
});

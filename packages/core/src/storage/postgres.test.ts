import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshTestPostgres } from '../../test/databases';
import { postgresDriver } from './postgres';

let url: string;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ url, drop } = await freshTestPostgres());
});
afterAll(() => drop());

// The gateway's pools pipeline (one round trip a group) and prepare statements; a pool that does
// neither runs the same groups a statement at a time, with the same outcomes.
describe.each([
  ['a pipelining pool, prepared statements', true],
  ['a pool that does not pipeline, unnamed statements', false],
])('%s', (_, pipeline) => {
  let database: ReturnType<typeof postgresDriver>;
  let table: string;
  beforeAll(() => {
    const pool = new pg.Pool({ connectionString: url, max: 4, pipeline });
    pool.on('error', () => {}); // idle clients cut by the drop at the end
    database = postgresDriver(pool, { preparedStatements: pipeline });
  });
  afterAll(() => database.close());
  beforeEach(async (context) => {
    table = `t_${pipeline ? 'p' : 's'}_${context.task.id.replace(/\W/g, '')}`;
    await sql`create table ${sql.table(table)} (id integer primary key, v integer not null constraint ${sql.id(`${table}_v`)} check (v >= 0))`.execute(
      database.db,
    );
  });

  const insert = (id: number, v: number) =>
    sql`insert into ${sql.table(table)} (id, v) values (${id}, ${v}) returning id`.compile(database.db);
  const ids = async () =>
    (await sql<{ id: number }>`select id from ${sql.table(table)} order by id`.execute(database.db)).rows.map(
      (r) => r.id,
    );
  const outcome = (r: PromiseSettledResult<{ rows: unknown[] }[]>) =>
    r.status === 'fulfilled' ? r.value.map((q) => q.rows) : database.violation(r.reason)?.kind;

  it('runs a batch all-or-nothing and names the constraint it broke', async () => {
    const failed = (...qs: ReturnType<typeof insert>[]) =>
      database.atomic(qs).then(
        () => null,
        (e) => e,
      );
    expect(database.violation(await failed(insert(1, 1), insert(2, -1)))).toEqual({
      kind: 'check',
      table,
      constraint: `${table}_v`,
    });
    expect(await ids()).toEqual([]);
    await database.atomic([insert(1, 1)]);
    expect(database.violation(await failed(insert(1, 2)))).toMatchObject({ kind: 'unique', table });
    expect(database.violation(await failed(sql`select * from nowhere`.compile(database.db)))).toBeNull();
  });

  it('commits batches that arrive together in one group, answering each with its own rows; those that fail are rolled back alone', async () => {
    await database.atomic([insert(100, 1)]); // in flight while the rest arrive: they commit as one group
    const results = await Promise.allSettled([
      database.atomic([insert(1, 1), insert(2, 2)]),
      database.atomic([insert(3, 3), insert(4, -1)]), // the check fails: 3 must not stay either
      database.atomic([insert(5, 5)]),
      database.atomic([insert(1, 9)]), // a duplicate of a row written earlier in the group
      database.atomic([insert(6, 6), insert(7, 7)]),
      database.atomic([insert(8, -8)]), // the last batch of the group fails
    ]);
    expect(results.map(outcome)).toEqual([
      [[{ id: 1 }], [{ id: 2 }]],
      'check',
      [[{ id: 5 }]],
      'unique',
      [[{ id: 6 }], [{ id: 7 }]],
      'check',
    ]);
    expect(await ids()).toEqual([1, 2, 5, 6, 7, 100]);
  });

  it('runs a group that lost a deadlock to another transaction again, and commits it', async () => {
    await database.atomic([insert(1, 1), insert(2, 2)]);
    const update = (id: number) =>
      sql`update ${sql.table(table)} set v = v + 1 where id = ${id}`.compile(database.db);
    const other = new pg.Client(url);
    await other.connect();
    try {
      // The other transaction holds row 1 and waits long before it looks for a deadlock, so the group,
      // which takes row 2 and then waits for row 1, is the one PostgreSQL aborts.
      await other.query("begin; set local deadlock_timeout = '10s'");
      await other.query(`update ${table} set v = v + 10 where id = 1`);
      const group = database.atomic([update(2), update(1)]);
      await waitUntilBlocked(other);
      await other.query(`update ${table} set v = v + 10 where id = 2`); // the deadlock: the group gives way
      await other.query('commit');
      await group;
    } finally {
      await other.end();
    }
    const rows = await sql<{
      id: number;
      v: number;
    }>`select id, v from ${sql.table(table)} order by id`.execute(database.db);
    expect(rows.rows).toEqual([
      { id: 1, v: 12 },
      { id: 2, v: 13 },
    ]);
  });
});

it('writes a group in one round trip; a refused batch in it costs three more (the savepoint pass, its rollback, the commit)', async () => {
  const pool = new pg.Pool({ connectionString: url, max: 2, pipeline: true });
  pool.on('error', () => {});
  // Counts round trips: a statement written while none is awaited on its connection starts one.
  let trips = 0;
  const counted = (client: pg.PoolClient) => {
    let waiting = 0;
    const query = (...args: Parameters<pg.PoolClient['query']>) => {
      if (waiting++ === 0) trips++;
      const answer = (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
      const done = () => void waiting--;
      answer.then(done, done);
      return answer;
    };
    return { pipeline: client.pipeline, query, release: (destroy?: boolean) => client.release(destroy) };
  };
  const database = postgresDriver(
    { connect: async () => counted(await pool.connect()) as never, end: () => pool.end() },
    { preparedStatements: true },
  );
  try {
    await sql`create table rt (id integer primary key, v integer not null check (v >= 0))`.execute(
      database.db,
    );
    const insert = (id: number, v: number) =>
      sql`insert into rt (id, v) values (${id}, ${v})`.compile(database.db);
    const group = (first: number, refused: boolean) => {
      trips = 0;
      return Promise.allSettled([
        database.atomic([insert(first, 1)]), // alone: the others arrive while it is written
        ...Array.from({ length: 20 }, (_, i) =>
          database.atomic([insert(first + 1 + i, 1), insert(first + 100 + i, 1)]),
        ),
        database.atomic([insert(first + 50, refused ? -1 : 1)]),
      ]);
    };
    await group(1000, false);
    expect(trips).toBe(2);
    const outcomes = await group(2000, true);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1);
    expect(trips).toBe(2 + 3);
  } finally {
    await database.close();
  }
});

/** Until a session of this database waits for a lock. */
async function waitUntilBlocked(client: pg.Client) {
  const waiting = `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
  while ((await client.query(waiting)).rows.length === 0) await new Promise((r) => setTimeout(r, 20));
}

import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase, type TestDatabase } from '../../test/databases';

let database: TestDatabase;
let drop: () => Promise<void>;
beforeAll(async () => {
  const pg = await freshTestPostgres();
  drop = pg.drop;
  database = openTestDatabase(pg.url);
  await sql`create table t (id integer primary key, v integer not null constraint t_v_positive check (v >= 0))`.execute(
    database.db,
  );
});
afterAll(async () => {
  await database.close();
  await drop();
});

const insert = (id: number, v: number) =>
  sql`insert into t (id, v) values (${id}, ${v})`.compile(database.db);
const failure = (...qs: ReturnType<typeof insert>[]) =>
  database.atomic(qs).then(
    () => null,
    (e: unknown) => e,
  );

it('runs a batch all-or-nothing and names the constraint it broke', async () => {
  const e = await failure(insert(1, 1), insert(2, -1));
  expect(database.violation(e)).toEqual({ kind: 'check', table: 't', constraint: 't_v_positive' });
  expect((await sql`select id from t`.execute(database.db)).rows).toEqual([]);
  await database.atomic([insert(1, 1)]);
  expect(database.violation(await failure(insert(1, 2)))).toEqual({
    kind: 'unique',
    table: 't',
    constraint: 't_pkey',
  });
  expect(database.violation(await failure(sql`select * from nowhere`.compile(database.db)))).toBeNull();
});

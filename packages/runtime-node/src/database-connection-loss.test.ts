import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from './database';
import { freshPostgres } from './testing';
import { postgresProxy } from './testing/postgres-proxy';

const pg = await freshPostgres();
afterAll(() => pg.drop());

it('a PostgreSQL connection lost mid-query fails that query and is reported, and the process goes on', async () => {
  const proxy = postgresProxy();
  const url = new URL(pg.url);
  url.port = String(await proxy.listen());
  const heard: string[] = [];
  const database = openDatabase(url.toString(), { onError: (what) => heard.push(what) });
  try {
    await sql`select 1`.execute(database.db); // a client in the pool, then checked out again below
    const ended = Promise.allSettled([
      sql`select pg_sleep(5)`.execute(database.db),
      database.atomic([sql`select pg_sleep(5)`.compile(database.db)]),
    ]);
    await new Promise((r) => setTimeout(r, 300));
    await proxy.cut();
    expect((await ended).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(heard).toContain('PostgreSQL connection lost');
  } finally {
    await database.close();
  }
});

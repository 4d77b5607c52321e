import { type Kysely, sql } from 'kysely';

type Open = (url: string) => { db: Kysely<unknown>; close(): Promise<void> };

/**
 * A fresh PostgreSQL database on the server `adminUrl` points at, for one test run; `drop` removes it.
 * `open` connects with whatever driver the caller uses.
 */
export async function freshPostgres(adminUrl: string, open: Open) {
  const name = `mifumo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const onAdmin = async (statement: string) => {
    const admin = open(adminUrl);
    try {
      await sql.raw(statement).execute(admin.db);
    } finally {
      await admin.close();
    }
  };
  await onAdmin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onAdmin(`drop database if exists ${name} with (force)`),
  };
}

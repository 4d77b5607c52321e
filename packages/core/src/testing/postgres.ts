import { type Kysely, sql } from 'kysely';

type Open = (url: string) => { db: Kysely<unknown>; close(): Promise<void> };

/**
 * A fresh PostgreSQL database on the server `adminUrl` points at, for one test run; `drop` removes it.
 * `open` connects with whatever driver the caller uses. With `template`, a copy of that database
 * (which nothing may be connected to meanwhile), else an empty one.
 */
export async function freshPostgres(adminUrl: string, open: Open, options: { template?: string } = {}) {
  const name = `mifumo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const onAdmin = async (statement: string) => {
    const admin = open(adminUrl);
    try {
      await sql.raw(statement).execute(admin.db);
    } finally {
      await admin.close();
    }
  };
  await onAdmin(`create database ${name}${options.template ? ` template ${options.template}` : ''}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onAdmin(`drop database if exists ${name} with (force)`),
  };
}

import { sql } from 'kysely';
import { openDatabase } from '../database';

const PG_ADMIN_URL = process.env.MIFUMO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for this run, dropped afterwards. */
export async function freshPostgres() {
  const name = `mifumo_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openDatabase(PG_ADMIN_URL);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = openDatabase(PG_ADMIN_URL);
      await sql.raw(`drop database if exists ${name} with (force)`).execute(a.db);
      await a.close();
    },
  };
}

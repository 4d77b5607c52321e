import { freshPostgres as freshOn } from '@mifumo/core/testing';
import { openDatabase } from '../database';

const PG_ADMIN_URL = process.env.MIFUMO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for this run, dropped afterwards. */
export const freshPostgres = () => freshOn(PG_ADMIN_URL, openDatabase);

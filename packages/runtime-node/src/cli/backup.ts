import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { migrateToLatest, migrationNames, UsageError } from '@mifumo/core';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../database';
import { readSettings, SettingsError } from '../settings';
import type { CliIo } from './run';

export const BACKUP_USAGE = `Usage: mifumo backup <file>     a consistent copy of the SQLite database of DATABASE_URL, live
       mifumo restore <file>    the database of DATABASE_URL replaced by a backup (stop the gateway first)
Keep the server secret (MIFUMO_SECRET, or the key file beside the database) with the backups: without
it, webhooks' signing secrets and sealed keys in them cannot be opened. PostgreSQL: pg_dump and
pg_restore; Cloudflare D1: wrangler d1 export (docs/operations.md#backups).`;

/** The SQLite file of DATABASE_URL; PostgreSQL and in-memory databases are refused with what to use. */
function sqliteFile(env: NodeJS.ProcessEnv): { path: string; secretFile: string } {
  const settings = readSettings(env);
  const url = settings.databaseUrl;
  if (/^postgres(ql)?:\/\//.test(url))
    throw new SettingsError(
      'DATABASE_URL is PostgreSQL: back it up with pg_dump -Fc "$DATABASE_URL" -f mifumo.dump and restore with pg_restore -d "$DATABASE_URL" --clean mifumo.dump',
    );
  if (!url.startsWith('file:') || url === 'file::memory:')
    throw new SettingsError(`DATABASE_URL must be a SQLite file (file:<path>) to back up, got ${url}`);
  return { path: url.slice('file:'.length), secretFile: settings.secret.file };
}

/** What a SQLite file holds, checked: intact (`integrity_check`) and a Mifumo database (its migrations). */
function inspect(path: string): { pages: number; migrations: string[] } {
  const db = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new SettingsError(`${path} is damaged: ${String(integrity)}`);
    const table = db
      .prepare("select 1 from sqlite_master where type = 'table' and name = 'mifumo_migrations'")
      .get();
    if (!table)
      throw new SettingsError(`${path} is not a Mifumo database (it has no mifumo_migrations table)`);
    const names = (db.prepare('select name from mifumo_migrations').all() as { name: string }[]).map(
      (r) => r.name,
    );
    return { pages: db.pragma('page_count', { simple: true }) as number, migrations: names };
  } finally {
    db.close();
  }
}

/**
 * Refuses a database another connection has open (a gateway running on it): leaving WAL mode needs
 * the database to itself, and is refused at once otherwise. It goes back to WAL when next opened.
 */
function refuseIfInUse(path: string) {
  const db = new BetterSqlite3(path, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    let mode: unknown;
    try {
      mode = db.pragma('journal_mode = DELETE', { simple: true });
    } catch {
      mode = 'busy';
    }
    if (mode !== 'delete')
      throw new SettingsError(`${path} is in use (a gateway is running on it?): stop it, then restore`);
  } finally {
    db.close();
  }
}

function oneFile(argv: string[], command: string): string {
  const { positionals } = parseArgs({ args: argv, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError(`mifumo ${command} takes one file`);
  return positionals[0]!;
}

/**
 * `mifumo backup <file>`: SQLite's online backup of the live database (its pages copied while the
 * gateway goes on writing; the copy is one consistent moment), checked once written.
 */
export async function runBackup(argv: string[], io: CliIo): Promise<number> {
  const target = oneFile(argv, 'backup');
  const { path, secretFile } = sqliteFile(io.env);
  if (existsSync(target)) throw new SettingsError(`${target} exists already: name a new file`);
  if (!existsSync(path)) throw new SettingsError(`${path} (DATABASE_URL) does not exist`);
  if (!statSync(path).isFile()) throw new SettingsError(`${path} (DATABASE_URL) is not a file`);
  mkdirSync(dirname(resolve(target)), { recursive: true });
  const source = new BetterSqlite3(path, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(target);
  } finally {
    source.close();
  }
  // One self-contained file: out of WAL mode, no -wal and -shm files beside it.
  const copy = new BetterSqlite3(target);
  copy.pragma('journal_mode = DELETE');
  copy.close();
  const { pages, migrations } = inspect(target);
  io.out(`Backed up ${path} to ${target}: ${pages} pages, ${migrations.length} migrations, intact.`);
  io.out(`Keep the server secret with it: MIFUMO_SECRET, or the key file ${secretFile}.`);
  return 0;
}

/**
 * `mifumo restore <file>`: the database of DATABASE_URL becomes the backup (checked first), through
 * the same online backup, then is migrated to this version. Stop the gateway on it first.
 */
export async function runRestore(argv: string[], io: CliIo): Promise<number> {
  const from = oneFile(argv, 'restore');
  const { path } = sqliteFile(io.env);
  if (!existsSync(from)) throw new SettingsError(`${from} does not exist`);
  if (!statSync(from).isFile()) throw new SettingsError(`${from} is not a file`);
  if (existsSync(path) && realpathSync(from) === realpathSync(path))
    throw new SettingsError(`${from} is the database of DATABASE_URL itself`);
  const { migrations } = inspect(from);
  const known = new Set(migrationNames());
  const unknown = migrations.filter((name) => !known.has(name));
  if (unknown.length > 0)
    throw new SettingsError(
      `${from} comes from a newer Mifumo (migrations ${unknown.join(', ')} are unknown to this one): restore it with that version`,
    );
  if (existsSync(path)) refuseIfInUse(path);
  mkdirSync(dirname(resolve(path)), { recursive: true });
  const backup = new BetterSqlite3(from, { readonly: true, fileMustExist: true });
  try {
    await backup.backup(path);
  } finally {
    backup.close();
  }
  const database = openDatabase(`file:${path}`);
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  const { pages } = inspect(path);
  io.out(
    `Restored ${path} from ${from}: ${pages} pages, ${migrations.length} migrations in the backup, migrated.`,
  );
  io.out(
    'Start the gateway with the server secret of the database it came from (MIFUMO_SECRET or its key file).',
  );
  return 0;
}

import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema } from '@mifumo/core';
import { runApiSuite } from '@mifumo/core/testing';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { startGateway } from '../gateway';
import { nodeTarget } from '../testing/node-target';
import { runCli } from './run';

const ADMIN = 'mk_live_backup0123456789abcdef0123456789abcdefgh';

/** Runs `mifumo …` on the SQLite file `path`; its exit code and what it printed. */
async function mifumo(path: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    env: { DATABASE_URL: `file:${path}` },
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A gateway on the SQLite file `path`: ADMIN's account funded, limits that never refuse these sends. */
const gatewayOn = (path: string) =>
  startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${path}`,
      adminKey: ADMIN,
      initialBalance: 1_000_000,
      config: configSchema.parse({
        carriers: [{ id: 'dev', type: 'fake', deliveryDelayMs: 5 }],
        limits: { smsPerMinute: 1_000_000, apiCallsPerHour: 1_000_000 },
      }),
      secret: { value: 'ef'.repeat(32), file: '' },
    },
    { logger: { error: () => {} } },
  );

/**
 * A gateway on a SQLite file taking sends (8 at a time) while `mifumo backup` copies its database; the
 * backup, and the number of sends answered before it started.
 */
async function backupUnderLoad() {
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-backup-'));
  const live = join(dir, 'live.db');
  const gw = await gatewayOn(live);
  let answered = 0;
  let sending = true;
  const sender = async () => {
    while (sending) {
      const res = await fetch(`${gw.url}/api/integration/v1/sms/send/`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          message: 'Habari',
          recipients: ['+255754000111', '+255654000222'],
          sender_id: 'MIFUMO',
        }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`a send was refused: ${text}`);
      answered++;
    }
  };
  const senders = Array.from({ length: 8 }, sender);
  const failed = Promise.all(senders).then(() => {});
  failed.catch(() => {}); // awaited below too
  try {
    while (answered < 200) await Promise.race([failed, new Promise((r) => setTimeout(r, 20))]);
    const before = answered;
    const backup = join(dir, 'backup.db');
    const result = await mifumo(live, 'backup', backup);
    const during = answered - before;
    return { dir, backup, result, before, during };
  } finally {
    sending = false;
    await Promise.all(senders);
    await gw.close();
  }
}

const taken = backupUnderLoad();

describe('mifumo backup and restore', () => {
  it('copies a live database while sends go on: intact, and one consistent moment of it', async () => {
    const { backup, result, before, during } = await taken;
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(/^Backed up .*live\.db to .*backup\.db: \d+ pages, \d+ migrations, intact\./);
    expect(result.out).toContain('Keep the server secret with it');
    expect(during).toBeGreaterThan(0); // sends were answered while it copied
    const db = new BetterSqlite3(backup, { readonly: true });
    try {
      const count = (q: string) => (db.prepare(q).get() as { n: number }).n;
      expect(count('select count(*) as n from messages')).toBeGreaterThanOrEqual(before);
      // Every message with all its recipients, every debit with its message: no send half in it.
      expect(
        count(`select count(*) as n from messages m
               where m.recipient_count <> (select count(*) from recipients r where r.message_id = m.id)`),
      ).toBe(0);
      expect(
        count(`select count(*) as n from ledger_entries l where l.kind = 'send'
               and not exists (select 1 from messages m where m.id = l.reference)`),
      ).toBe(0);
      // The balance is what the ledger's last entry says it became.
      expect(
        count(`select count(*) as n from accounts a where a.balance <> (select l.balance_after
               from ledger_entries l where l.account_id = a.id order by l.created_at desc, l.id desc limit 1)`),
      ).toBe(0);
    } finally {
      db.close();
    }
  });

  it('refuses what it cannot do, saying why: a file that exists, PostgreSQL, a file that is not a backup', async () => {
    const { dir, backup } = await taken;
    const live = join(dir, 'live.db');
    expect(await mifumo(live, 'backup', backup)).toMatchObject({
      code: 1,
      err: expect.stringContaining('exists already'),
    });
    const pg = await runCli(['backup', join(dir, 'x.db')], {
      env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
      out: () => {},
      err: (l) => expect(l).toContain('pg_dump'),
    });
    expect(pg).toBe(1);
    const stranger = join(dir, 'stranger.db');
    new BetterSqlite3(stranger).exec('create table t (x)');
    expect(await mifumo(join(dir, 'new.db'), 'restore', stranger)).toMatchObject({
      code: 1,
      err: expect.stringContaining('is not a Mifumo database'),
    });
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database at all, just text'.repeat(200));
    expect((await mifumo(join(dir, 'new.db'), 'restore', garbage)).code).toBe(1);
    expect((await mifumo(join(dir, 'new.db'), 'restore', join(dir, 'missing.db'))).code).toBe(1);
    expect(await mifumo(join(dir, 'new.db'), 'restore', dir)).toMatchObject({
      code: 1,
      err: expect.stringContaining('is not a file'),
    });
    expect((await mifumo(dir, 'backup', join(dir, 'y.db'))).err).toContain('(DATABASE_URL) is not a file');
    expect((await mifumo(live, 'backup')).code).toBe(2);
    // A directory that is not there is made (backups/…); one that cannot be is one line, not a stack.
    expect((await mifumo(live, 'backup', join(dir, 'new-dir', 'x.db'))).code).toBe(0);
    const blocked = await mifumo(live, 'backup', join(backup, 'x.db'));
    expect(blocked).toMatchObject({ code: 1, err: expect.stringMatching(/^error: /) });
    expect(blocked.err.split('\n')).toHaveLength(1);
    // Newer than this version: refused before anything is written.
    const newer = join(dir, 'newer.db');
    expect((await mifumo(live, 'backup', newer)).code).toBe(0);
    new BetterSqlite3(newer).exec(
      "insert into mifumo_migrations (name, timestamp) values ('9999_future', 'x')",
    );
    const target = join(dir, 'target.db');
    const refused = await mifumo(target, 'restore', newer);
    expect(refused).toMatchObject({
      code: 1,
      err: expect.stringContaining('newer Mifumo (migrations 9999_future'),
    });
    expect(existsSync(target)).toBe(false);
    expect((await mifumo(backup, 'restore', backup)).err).toContain('is the database of DATABASE_URL itself');
  });

  it('refuses to restore onto a database a gateway is running on', async () => {
    const { dir, backup } = await taken;
    const busy = join(dir, 'busy.db');
    expect((await mifumo(busy, 'restore', backup)).code).toBe(0);
    const gw = await gatewayOn(busy);
    try {
      expect(await mifumo(busy, 'restore', backup)).toMatchObject({
        code: 1,
        err: expect.stringContaining('is in use (a gateway is running on it?)'),
      });
    } finally {
      await gw.close();
    }
  });

  it('writes a backup as one file, nothing beside it', async () => {
    const { backup } = await taken;
    expect([existsSync(`${backup}-wal`), existsSync(`${backup}-shm`)]).toEqual([false, false]);
  });
});

/** The backup restored into a new file (as onto a new machine), once. */
let restored: Promise<string> | undefined;
const restoredPath = () => {
  restored ??= taken.then(async ({ dir, backup }) => {
    const path = join(dir, 'restored', 'mifumo.db');
    const r = await mifumo(path, 'restore', backup);
    if (r.code !== 0) throw new Error(`restore failed: ${r.err}`);
    return path;
  });
  return restored;
};

runApiSuite('Node + SQLite restored from a backup taken under load', async () =>
  nodeTarget(`file:${await restoredPath()}`),
);

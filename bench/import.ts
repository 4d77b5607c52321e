// A 50,000-row contact CSV with 100 bad rows, imported over HTTP (POST /v1/contacts/import/, text/csv)
// into a SQLite file: parsing, per-row validation and phone normalisation, the upsert and its tags in
// one atomic step. Against a bare better-sqlite3 insert of the same rows in one transaction (prepared
// statement, no validation), in this run, alternating rounds.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createFakeCarrier, createMifumo, migrateToLatest } from '../packages/core/src';
import { openDatabase } from '../packages/runtime-node/src/database';
import { median } from './median';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 50_000);
const BAD_EVERY = ROWS / 100;
const ROUNDS = 3;

const rows = Array.from({ length: ROWS }, (_, i) => ({
  name: `Mteja ${i}`,
  // Every BAD_EVERY-th number is too short: 100 bad rows.
  phone: i % BAD_EVERY === BAD_EVERY - 1 ? '07540' : `07${String(54_000_000 + i).padStart(8, '0')}`,
  tags: i % 2 ? 'wateja;Arusha' : 'wateja',
}));
const csv = `name,phone_number,tags\n${rows.map((r) => `${r.name},${r.phone},${r.tags}`).join('\n')}\n`;
const dir = () => mkdtempSync(join(tmpdir(), 'mifumo-bench-import-'));

async function ours(): Promise<number> {
  const database = openDatabase(`file:${join(dir(), 'import.db')}`);
  await migrateToLatest(database.db);
  const mifumo = createMifumo({
    secret: 'ab'.repeat(32),
    storage: database,
    carriers: [createFakeCarrier({ id: 'dev' })],
    config: { limits: { contactOpsPerHour: 1_000_000 } },
  });
  const account = await mifumo.admin.createAccount({ name: 'bench', balance: 0 });
  const { key } = await mifumo.admin.createKey({ accountId: account.id, name: 'b', permissions: ['write'] });
  const start = performance.now();
  const res = await mifumo.app.request('/v1/contacts/import/', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const ms = performance.now() - start;
  const { data } = (await res.json()) as { data: { created: number; failed: number; errors: unknown[] } };
  if (data.created !== ROWS - 100 || data.failed !== 100 || data.errors.length !== 100)
    throw new Error(`unexpected import report ${JSON.stringify({ ...data, errors: data.errors.length })}`);
  await database.close();
  return ms;
}

/** The same good rows and their tags, inserted with prepared statements in one transaction. */
function bare(): number {
  const db = new BetterSqlite3(join(dir(), 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'create table contacts (id text primary key, account_id text, name text, phone text, created_at text, unique (account_id, phone));' +
      'create table contact_tags (contact_id text, tag text, primary key (contact_id, tag));',
  );
  const contact = db.prepare('insert into contacts values (?, ?, ?, ?, ?)');
  const tag = db.prepare('insert into contact_tags values (?, ?)');
  const start = performance.now();
  db.transaction(() => {
    rows.forEach((r, i) => {
      if (r.phone.length < 10) return;
      contact.run(`ct_${i}`, 'acc', r.name, `+255${r.phone.slice(1)}`, new Date().toISOString());
      for (const t of r.tags.split(';')) tag.run(`ct_${i}`, t.toLowerCase());
    });
  })();
  const ms = performance.now() - start;
  db.close();
  return ms;
}

const mine: number[] = [];
const peer: number[] = [];
bare(); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  peer.push(bare());
  mine.push(await ours());
}
const fmt = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`.padStart(10);
console.log(`\nContact import, ${ROWS.toLocaleString('en-US')} CSV rows (100 bad), ${ROUNDS} rounds:\n`);
console.log('| importer                                          | time (median) | rounds |');
console.log('|---------------------------------------------------|--------------:|--------|');
console.log(
  `| Mifumo POST /v1/contacts/import/ (SQLite file)    | ${fmt(median(mine))}    | ${mine.map(Math.round).join(', ')} |`,
);
console.log(
  `| bare better-sqlite3 insert, one transaction       | ${fmt(median(peer))}    | ${peer.map(Math.round).join(', ')} |`,
);
console.log(
  `\nMifumo takes ${(median(mine) / median(peer)).toFixed(1)}× the bare insert's time (it also parses, validates and normalises every row).`,
);

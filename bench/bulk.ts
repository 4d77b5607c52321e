// One send to 10,000 recipients on a SQLite file with the fake carrier: time until it is accepted, and
// until the dispatcher has submitted every recipient (recipients/s). Peers measured in the same run,
// alternating rounds: a bare better-sqlite3 insert of the same message and recipient rows in one
// transaction, and a bare dispatcher (claim 100 due rows, mark them sent, in one transaction per batch).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createFakeCarrier, createMifumo, migrateToLatest } from '../packages/core/src';
import { openDatabase } from '../packages/runtime-node/src/database';
import { median } from './median';

const RECIPIENTS = Number(process.env.BENCH_BULK_RECIPIENTS ?? 10_000);
const ROUNDS = 3;
const phones = Array.from({ length: RECIPIENTS }, (_, i) => `+2557540${String(i).padStart(5, '0')}`);
const dir = () => mkdtempSync(join(tmpdir(), 'mifumo-bench-bulk-'));

async function ours(): Promise<{ acceptMs: number; submitMs: number }> {
  const database = openDatabase(`file:${join(dir(), 'bulk.db')}`);
  await migrateToLatest(database.db);
  const mifumo = createMifumo({
    secret: 'ab'.repeat(32),
    storage: database,
    carriers: [createFakeCarrier({ id: 'dev', deliveryDelayMs: 3_600_000 })],
    config: { limits: { smsPerMinute: 1_000_000 } },
  });
  await mifumo.start();
  const account = await mifumo.admin.createAccount({ name: 'bench', balance: RECIPIENTS * 10 });
  const { key } = await mifumo.admin.createKey({ accountId: account.id, name: 'b', permissions: ['write'] });
  const body = JSON.stringify({ message: 'Habari, oda yako iko tayari.', recipients: phones });
  const start = performance.now();
  const res = await mifumo.app.request('/v1/sms/send/', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body,
  });
  if (res.status !== 200) throw new Error(`send answered ${res.status}: ${await res.text()}`);
  const accepted = performance.now();
  let submitted = 0;
  while (submitted < RECIPIENTS) submitted += await mifumo.dispatchDue();
  const done = performance.now();
  await mifumo.close();
  await database.close();
  return { acceptMs: accepted - start, submitMs: done - accepted };
}

/** The same rows with prepared statements in one transaction, then claimed and marked sent 100 at a time. */
function bare(): { acceptMs: number; submitMs: number } {
  const db = new BetterSqlite3(join(dir(), 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.exec(
    'create table messages (id text primary key, account_id text, body text, cost integer, created_at text);' +
      'create table recipients (id text primary key, message_id text, account_id text, phone text, cost integer, status text, next_attempt_at text, created_at text, updated_at text, sent_at text);' +
      'create index recipients_due on recipients (status, next_attempt_at);',
  );
  const message = db.prepare('insert into messages values (?, ?, ?, ?, ?)');
  const recipient = db.prepare("insert into recipients values (?, ?, ?, ?, ?, 'queued', ?, ?, ?, null)");
  const start = performance.now();
  const at = new Date().toISOString();
  db.transaction(() => {
    message.run('msg_1', 'acc', 'Habari, oda yako iko tayari.', RECIPIENTS * 10, at);
    phones.forEach((p, i) => {
      recipient.run(`rcp_${i}`, 'msg_1', 'acc', p, 10, at, at, at);
    });
  })();
  const accepted = performance.now();
  const claim = db.prepare(
    "update recipients set status = 'sending' where id in (select id from recipients where status = 'queued' and next_attempt_at <= ? order by next_attempt_at limit 100) returning id, phone",
  );
  const sent = db.prepare("update recipients set status = 'sent', sent_at = ? where id = ?");
  for (;;) {
    const batch = db.transaction(() => claim.all(at) as { id: string }[])();
    if (batch.length === 0) break;
    db.transaction(() => {
      for (const r of batch) sent.run(at, r.id);
    })();
  }
  const done = performance.now();
  db.close();
  return { acceptMs: accepted - start, submitMs: done - accepted };
}

const mine: { acceptMs: number; submitMs: number }[] = [];
const peer: { acceptMs: number; submitMs: number }[] = [];
bare(); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  peer.push(bare());
  mine.push(await ours());
}
const ms = (n: number) => `${Math.round(n).toLocaleString('en-US')} ms`;
const rate = (n: number) => `${Math.round(RECIPIENTS / (n / 1000)).toLocaleString('en-US')}/s`;
const row = (name: string, r: typeof mine) => {
  const accept = median(r.map((x) => x.acceptMs));
  const submit = median(r.map((x) => x.submitMs));
  console.log(
    `| ${name.padEnd(44)} | ${ms(accept).padStart(9)} | ${ms(submit).padStart(9)} | ${rate(submit).padStart(10)} |`,
  );
};
console.log(
  `\nOne send to ${RECIPIENTS.toLocaleString('en-US')} recipients (SQLite file, fake carrier), ${ROUNDS} alternating rounds, medians:\n`,
);
console.log('| who                                          |  accepted | submitted | dispatcher |');
console.log('|----------------------------------------------|----------:|----------:|-----------:|');
row('Mifumo POST /v1/sms/send/ + dispatchDue()', mine);
row('bare better-sqlite3 insert + claim/mark loop', peer);

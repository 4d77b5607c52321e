// Webhook events per second delivered to a local receiver: the gateway's outbox (claims, ordering,
// signing, sealed Bearer, recording each attempt, on a SQLite file) against a bare sender that signs
// and POSTs the same bodies with the same concurrency and transport, in this run, alternating rounds.
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeCarrier, createMifumo, migrateToLatest } from '../packages/core/src';
import { openDatabase } from '../packages/runtime-node/src/database';
import { nodeWebhookTransport } from '../packages/runtime-node/src/webhook-transport';
import { median } from './median';

const MESSAGES = Number(process.env.BENCH_WEBHOOK_MESSAGES ?? 1000);
const EVENTS = MESSAGES * 2; // sent and delivered
const CONCURRENCY = 50; // webhooks.maxInFlightPerHost: all to the one receiver
const ROUNDS = 3;

let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.end('ok');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

/** A gateway whose outbox holds EVENTS due events; returns how long delivering them all took. */
async function ours(): Promise<number> {
  const database = openDatabase(`file:${join(mkdtempSync(join(tmpdir(), 'mifumo-bench-wh-')), 'wh.db')}`);
  await migrateToLatest(database.db);
  const mifumo = createMifumo({
    secret: 'ab'.repeat(32),
    storage: database,
    carriers: [createFakeCarrier({ id: 'dev', deliveryDelayMs: 0 })],
    config: {
      limits: { smsPerMinute: 1_000_000 },
      webhooks: { allowPrivateNetworks: true, batchSize: CONCURRENCY + 1, maxInFlightPerHost: CONCURRENCY },
    },
    webhookTransport: nodeWebhookTransport({ allowPrivateNetworks: true }),
  });
  await mifumo.start();
  const account = await mifumo.admin.createAccount({ name: 'bench', balance: MESSAGES * 10 });
  for (let i = 0; i < MESSAGES; i++)
    await mifumo.api.send(account.id, {
      message: 'Habari',
      recipients: [`+2557540${String(i).padStart(5, '0')}`],
      webhook_url: url,
    });
  while ((await mifumo.dispatchDue()) > 0);
  const events = async () =>
    Number(
      (
        await database.db
          .selectFrom('webhook_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('event', '=', 'delivered')
          .executeTakeFirst()
      )?.n ?? 0,
    );
  while ((await events()) < MESSAGES) await new Promise((r) => setTimeout(r, 10));
  received = 0;
  const start = performance.now();
  while (received < EVENTS) await mifumo.deliverWebhooksDue(EVENTS);
  const seconds = (performance.now() - start) / 1000;
  await mifumo.close();
  await database.close();
  return EVENTS / seconds;
}

/** The same EVENTS bodies, signed and POSTed CONCURRENCY at a time over the same transport, no database. */
async function bare(): Promise<number> {
  const post = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        message_id: `msg_${i >> 1}`,
        status: i % 2 ? 'delivered' : 'sent',
        recipients: [{ phone: '+255754000111', status: 'sent', delivery_time: new Date().toISOString() }],
        metadata: { sender_id: 'MIFUMO', cost: 10, currency: 'TZS' },
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', 'whsec_bench').update(`${timestamp}.${body}`).digest('hex');
      const req = request(url, {
        method: 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          'X-Mifumo-Timestamp': String(timestamp),
          'X-Mifumo-Signature': `v1=${signature}`,
        },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < EVENTS) await post(next++);
    }),
  );
  return EVENTS / ((performance.now() - start) / 1000);
}

const mine: number[] = [];
const peer: number[] = [];
await bare(); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  peer.push(await bare());
  mine.push(await ours());
}
receiver.close();
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(8);
console.log(
  `\nWebhook events/s to a local receiver, ${EVENTS} events (${MESSAGES} messages × sent + delivered), ${CONCURRENCY} at a time, ${ROUNDS} rounds:\n`,
);
console.log('| sender                                   | events/s (median) | rounds |');
console.log('|------------------------------------------|------------------:|--------|');
console.log(
  `| Mifumo outbox (SQLite file)              | ${fmt(median(mine))}          | ${mine.map(Math.round).join(', ')} |`,
);
console.log(
  `| bare signed POSTs, same transport        | ${fmt(median(peer))}          | ${peer.map(Math.round).join(', ')} |`,
);
console.log(
  `\nMifumo delivers ${Math.round((median(mine) / median(peer)) * 100)} % of the bare sender's events/s.`,
);

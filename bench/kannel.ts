// End to end, Mifumo against Kannel 1.4.5 (the peer), both measured in this run: one-recipient HTTP sends
// (autocannon, 50 connections, every text unique) → the gateway → SMPP (one transceiver bind, window 10)
// → our SMSC simulator in a process of its own, one for both → a delivery receipt for each submit → the
// gateway → an HTTP callback to this process (Kannel's dlr-url, Mifumo's webhook). Alternating rounds
// on the same gateway processes, so that memory growth across rounds shows; medians.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { KANNEL_SETUP, startKannel } from './kannel-gateway';
import { median } from './median';
import {
  ask,
  cpuMs,
  NEVER_REFUSING_LIMITS,
  peakRssMb,
  START_NODE_FLAGS,
  sampleRss,
  startServer,
  stopProcess,
} from './processes';

const COUNT = Number(process.env.BENCH_E2E_COUNT ?? 20_000);
const ROUNDS = Number(process.env.BENCH_E2E_ROUNDS ?? 3);
const CONNECTIONS = 50;
const WINDOW = 10;
/** Sends to each gateway before the rounds, not reported. */
const WARMUP = Math.min(1_000, COUNT);
/** A round also ends when neither a submit nor a receipt has come for this long (something was lost). */
const STALL_MS = 15_000;
const ADMIN_KEY = 'mk_live_e2e0123456789abcdefghijklmnop0123456789ab';
const TO = '255754000111';
const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-e2e-'));

type Id = 'kannel' | 'mifumo';
interface LoopDelay {
  meanMs: number;
  p99Ms: number;
  maxMs: number;
}
interface Gateway {
  name: string;
  /** Its bind's system_id at the simulator, and its callbacks' path on the receiver. */
  id: Id;
  /** Where the sends go, and the request for the send of `text`. */
  url: string;
  request(text: string): autocannon.Request;
  /** What its callbacks name the message by, from its text and the send's answer. */
  messageOf(text: string, answer: string): string;
  pids: number[];
  loopDelay?: { start(): void; stop(): Promise<LoopDelay> };
  stop(): Promise<void>;
}

// Both gateways' callbacks: how many came, and when each message's `delivered` one came.
const callbacks: Record<Id, { count: number; delivered: Map<string, number> }> = {
  kannel: { count: 0, delivered: new Map() },
  mifumo: { count: 0, delivered: new Map() },
};
const receiver = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    // Kannel: GET /kannel?text=…&type=%d (1: delivered, 8: taken by the SMSC). Mifumo: its webhook's JSON.
    const url = new URL(req.url!, 'http://receiver');
    const body = url.pathname === '/mifumo' ? JSON.parse(Buffer.concat(chunks).toString()) : null;
    const [id, message, final]: [Id, string, boolean] = body
      ? ['mifumo', body.message_id, body.status === 'delivered']
      : ['kannel', url.searchParams.get('text')!, url.searchParams.get('type') === '1'];
    callbacks[id].count++;
    if (final && !callbacks[id].delivered.has(message)) callbacks[id].delivered.set(message, Date.now());
    res.end('ok');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const smsc = await startServer('smsc-process.mjs', {});
/** Every submit the simulator has taken, by system_id: its text, and when (ms since the epoch). */
const arrivals: Record<Id, [text: string, at: number][]> = { kannel: [], mifumo: [] };
async function collectSubmits() {
  for (const [systemId, text, at] of await ask<[Id, string, number][]>(smsc.child, 'submits'))
    arrivals[systemId].push([text, at]);
}

async function kannel(): Promise<Gateway> {
  const k = await startKannel(dir, {
    port: smsc.port,
    systemId: 'kannel',
    password: 'bench',
    window: WINDOW,
  });
  const dlrUrl = (text: string) => `${receiverUrl}/kannel?text=${encodeURIComponent(text)}&type=%d`;
  const query = (text: string) =>
    new URLSearchParams({
      username: 'bench',
      password: 'bench',
      from: 'MIFUMO',
      to: TO,
      text,
      'dlr-mask': '9', // delivered (1) and taken by the SMSC (8): two callbacks, as Mifumo's sent and delivered
      'dlr-url': dlrUrl(text),
    });
  return {
    name: 'Kannel 1.4.5',
    id: 'kannel',
    url: k.sendsms,
    request: (text) => ({ method: 'GET', path: `/cgi-bin/sendsms?${query(text)}` }),
    messageOf: (text) => text,
    pids: k.pids,
    stop: k.stop,
  };
}

async function mifumo(): Promise<Gateway> {
  const config = join(dir, 'mifumo.json');
  writeFileSync(
    config,
    JSON.stringify({
      // Limits stay on (every request still takes from them) but high enough never to refuse.
      limits: NEVER_REFUSING_LIMITS,
      carriers: [
        {
          id: 'smsc',
          type: 'smpp',
          host: '127.0.0.1',
          port: smsc.port,
          systemId: 'mifumo',
          password: 'bench',
          window: WINDOW,
        },
      ],
      // Every webhook goes to the one receiver: as many at once as bench/webhooks.ts sends.
      webhooks: { allowPrivateNetworks: true, batchSize: 51, maxInFlightPerHost: 50 },
    }),
  );
  const { child, port } = await startServer(
    'mifumo-measured.mjs',
    {
      MIFUMO_CONFIG: config,
      DATABASE_URL: `file:${join(dir, 'mifumo.db')}`,
      MIFUMO_ADMIN_KEY: ADMIN_KEY,
      MIFUMO_INITIAL_BALANCE: '1000000000',
    },
    START_NODE_FLAGS,
  );
  const api = `http://127.0.0.1:${port}/api/integration/v1`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };
  try {
    const set = await fetch(`${api}/webhooks/`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({ url: `${receiverUrl}/mifumo` }),
    });
    if (!set.ok)
      throw new Error(`setting the account's webhook URL answered ${set.status}: ${await set.text()}`);
    const state = async () =>
      (
        (await (await fetch(`${api}/carriers/`, { headers })).json()) as {
          data: { carriers: { state: string }[] };
        }
      ).data.carriers[0]?.state;
    while ((await state()) !== 'bound') await sleep(50);
  } catch (e) {
    await stopProcess(child);
    throw e;
  }
  return {
    name: 'Mifumo (SQLite file)',
    id: 'mifumo',
    url: `${api}/sms/send/`,
    request: (text) => ({
      method: 'POST',
      headers,
      body: JSON.stringify({ message: text, recipients: [`+${TO}`], sender_id: 'MIFUMO' }),
    }),
    messageOf: (_text, answer) => JSON.parse(answer).data.message_id,
    pids: [child.pid!],
    loopDelay: { start: () => child.send('loop-start'), stop: () => ask<LoopDelay>(child, 'loop-stop') },
    stop: () => stopProcess(child),
  };
}

let sent = 0;
/** Every send's text: "Bench 0000123", unique in the whole run. */
const nextText = () => `Bench ${String(sent++).padStart(7, '0')}`;
/** Texts each gateway answered 2xx for, over the whole run. */
const accepted: Record<Id, Set<string>> = { kannel: new Set(), mifumo: new Set() };
/** Sends each gateway did not answer 2xx, over the whole run: by status, `timeout` or `connection error`. */
const failures: Record<Id, Record<string, number>> = { kannel: {}, mifumo: {} };
const fail = (id: Id, why: string, times = 1) => {
  failures[id][why] = (failures[id][why] ?? 0) + times;
};

/** `count` sends, `CONNECTIONS` at a time; the messages answered 2xx, as the gateway's callbacks name them. */
async function load(gateway: Gateway, count: number): Promise<string[]> {
  const { id } = gateway;
  const messages: string[] = [];
  const result = await autocannon({
    url: gateway.url,
    connections: CONNECTIONS,
    amount: count,
    requests: [
      {
        // One request in flight per connection: its context holds its text until its answer.
        setupRequest: (request, context) => {
          const text = nextText();
          (context as { text: string }).text = text;
          return { ...request, ...gateway.request(text) };
        },
        onResponse: (status, answer, context) => {
          const { text } = context as { text: string };
          if (status >= 300) return fail(id, String(status));
          accepted[id].add(text);
          messages.push(gateway.messageOf(text, answer));
        },
      },
    ],
  });
  // autocannon counts a timeout (no answer in 10 s) as an error too.
  if (result.timeouts) fail(id, 'timeout', result.timeouts);
  if (result.errors > result.timeouts) fail(id, 'connection error', result.errors - result.timeouts);
  return messages;
}

interface Round {
  /** Messages per second from the first HTTP request to the last submit_sm at the simulator. */
  perSecond: number;
  /** From the first HTTP request until the last delivered callback, s. */
  receiptsS: number;
  httpPerSecond: number;
  submitsDuringLoad: number;
  submitsAfterLoad: number | null;
  peakRssMb: number;
  hwmMb: number;
  cpuMsPerMessage: number;
  loop: LoopDelay | null;
  missingReceipts: number;
}

async function round(gateway: Gateway, count: number): Promise<Round> {
  const { id, pids } = gateway;
  const sum = (f: (pid: number) => number) => pids.reduce((n, pid) => n + f(pid), 0);
  const { delivered } = callbacks[id];
  await collectSubmits();
  const from = arrivals[id].length;
  const cpuBefore = sum(cpuMs);
  const rss = sampleRss(pids);
  gateway.loopDelay?.start();
  const start = Date.now();
  const messages = await load(gateway, count);
  const loadEnd = Date.now();
  const loop = (await gateway.loopDelay?.stop()) ?? null;
  const waiting = new Set(messages);
  // Until every message answered 2xx has been submitted and has had its delivered callback, or nothing moves.
  let progress = 0;
  let progressAt = Date.now();
  for (;;) {
    await collectSubmits();
    for (const message of waiting) if (delivered.has(message)) waiting.delete(message);
    const submitted = arrivals[id].length - from;
    if (submitted >= messages.length && waiting.size === 0) break;
    if (submitted + callbacks[id].count > progress)
      [progress, progressAt] = [submitted + callbacks[id].count, Date.now()];
    else if (Date.now() - progressAt > STALL_MS) break;
    await sleep(100);
  }
  const peak = rss.stop();
  const cpu = sum(cpuMs) - cpuBefore;
  const submits = arrivals[id].slice(from);
  const lastSubmit = submits.reduce((last, [, at]) => Math.max(last, at), start);
  const lastReceipt = messages.reduce((last, message) => Math.max(last, delivered.get(message) ?? 0), start);
  const duringLoad = submits.filter(([, at]) => at <= loadEnd).length;
  return {
    perSecond: submits.length / ((lastSubmit - start) / 1000),
    receiptsS: (lastReceipt - start) / 1000,
    httpPerSecond: count / ((loadEnd - start) / 1000),
    submitsDuringLoad: duringLoad / ((loadEnd - start) / 1000),
    submitsAfterLoad:
      lastSubmit > loadEnd ? (submits.length - duringLoad) / ((lastSubmit - loadEnd) / 1000) : null,
    peakRssMb: peak,
    hwmMb: sum(peakRssMb),
    cpuMsPerMessage: cpu / count,
    loop,
    missingReceipts: waiting.size,
  };
}

/**
 * Every text a gateway answered 2xx for should reach the simulator exactly once: those that did not, those
 * that came more than once, and those that came though their send was not answered 2xx (a timeout).
 */
function lostAndDuplicated(id: Id) {
  const seen = new Map<string, number>();
  for (const [text] of arrivals[id]) seen.set(text, (seen.get(text) ?? 0) + 1);
  return {
    lost: [...accepted[id]].filter((text) => !seen.has(text)).length,
    duplicated: [...seen.values()].reduce((n, times) => n + times - 1, 0),
    unanswered: [...seen.keys()].filter((text) => !accepted[id].has(text)).length,
  };
}

const loadBefore = loadavg()[0]!;
// Whatever was started is stopped, also when a start or a round fails.
const started: { stop(): Promise<void> }[] = [{ stop: () => stopProcess(smsc.child) }];
const gateways: Gateway[] = [];
const results = new Map<Gateway, Round[]>();
try {
  for (const start of [kannel, mifumo]) {
    const g = await start();
    started.unshift(g);
    gateways.push(g);
    results.set(g, []);
  }
  for (const g of gateways) await round(g, WARMUP);
  for (let i = 0; i < ROUNDS; i++) for (const g of gateways) results.get(g)!.push(await round(g, COUNT));
  await collectSubmits();
} finally {
  for (const s of started) await s.stop();
  receiver.close();
}

const n0 = (n: number) => Math.round(n).toLocaleString('en-US');
const n1 = (n: number) => n.toFixed(1);
const n2 = (n: number) => n.toFixed(2);
/** A measure's median, then each round's figure. */
const cell = (values: number[], format: (n: number) => string) =>
  values.length ? `${format(median(values))} (${values.map(format).join(', ')})` : '–';
const rows: [string, (r: Round) => number | null, (n: number) => string][] = [
  ['messages/s, first HTTP request → last submit_sm', (r) => r.perSecond, n0],
  ['s until every receipt was applied', (r) => r.receiptsS, n1],
  ['HTTP sends/s (autocannon)', (r) => r.httpPerSecond, n0],
  ['submit_sm/s at the simulator during the HTTP load', (r) => r.submitsDuringLoad, n0],
  ['submit_sm/s at the simulator after it', (r) => r.submitsAfterLoad, n0],
  ['peak RSS, MB (VmRSS every 100 ms, all its processes)', (r) => r.peakRssMb, n0],
  ['VmHWM at the end of the round, MB', (r) => r.hwmMb, n0],
  ['CPU ms per message (utime + stime, all its processes)', (r) => r.cpuMsPerMessage, n2],
  ['event-loop delay during the HTTP load: mean, ms', (r) => r.loop?.meanMs ?? null, n1],
  ['… p99, ms', (r) => r.loop?.p99Ms ?? null, n1],
  ['… max, ms', (r) => r.loop?.maxMs ?? null, n0],
];
/** A measure of each of `g`'s rounds, where it applies. */
const of = (g: Gateway, f: (r: Round) => number | null) => results.get(g)!.flatMap((r) => f(r) ?? []);

console.log(
  `\nEnd to end: ${n0(COUNT)} one-recipient HTTP sends per round (${CONNECTIONS} connections) → gateway → SMPP (one transceiver bind, window ${WINDOW}) → the SMSC simulator (its own process, a receipt per submit) → an HTTP callback per receipt; ${ROUNDS} alternating rounds on the same gateway processes after ${n0(WARMUP)} warm-up sends each; median (each round):\n`,
);
console.log(
  `Machine: ${availableParallelism()} cores, load average (1 min) ${loadBefore.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end.\n`,
);
console.log(`| measure | ${gateways.map((g) => g.name).join(' | ')} | Mifumo/Kannel |`);
console.log('|---|---:|---:|---:|');
for (const [name, f, format] of rows) {
  const [ks, ms] = [of(gateways[0]!, f), of(gateways[1]!, f)];
  const ratio = ks.length && ms.length ? `${(median(ms) / median(ks)).toFixed(2)}×` : '';
  console.log(`| ${name} | ${cell(ks, format)} | ${cell(ms, format)} | ${ratio} |`);
}
let faults = 0;
for (const g of gateways) {
  const { lost, duplicated, unanswered } = lostAndDuplicated(g.id);
  const missing = results.get(g)!.reduce((n, r) => n + r.missingReceipts, 0);
  const failed = Object.entries(failures[g.id]).map(([why, n]) => `${n} × ${why}`);
  faults += lost + duplicated + missing + failed.length;
  console.log(
    `\n${g.name}: ${lost} lost and ${duplicated} duplicated of ${n0(accepted[g.id].size)} sends answered 2xx (all rounds and the warm-up; both must be 0); ${missing} without a delivered callback; not answered 2xx: ${failed.join(', ') || 'none'}${unanswered ? ` (${unanswered} of them reached the SMSC all the same)` : ''}.`,
  );
}
console.log(
  `\nDurable on both before the HTTP answer. Kannel: ${KANNEL_SETUP}; sendsms GET with dlr-mask 9 (delivered + SMSC ack, two callbacks per message). Mifumo: the built gateway (npm start) on a SQLite file (WAL, synchronous NORMAL), one SMPP carrier, the account's webhook URL set (sent + delivered webhooks, 50 at a time to the receiver).`,
);
// The gateways' configs, logs, store and database are kept when something went wrong, to look into.
if (faults) console.log(`\nKept for a look: ${dir}`);
else rmSync(dir, { recursive: true });

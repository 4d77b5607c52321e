// Memory of the standalone gateway as `npm start` runs it (built dist/main.js, a SQLite file), one SMPP
// carrier bound to the simulator (window 10, receipts on, in a thread of this process), every send
// with a webhook URL whose events this process receives: ROUNDS rounds of PER_ROUND one-recipient
// sends (autocannon, 50 connections), each round waited out until every message is delivered and its
// events received. Per round: the peak RSS (VmRSS sampled every 50 ms); at its end, after a full
// collection, the heap used and where the resident memory is (V8's heap and its young generation, the
// main thread's malloc heap, other anonymous memory: threads, large allocations; mapped files: the
// node binary, ICU data, addons); the time spent collecting garbage per send. A gateway that keeps
// something per message grows from round to round. The peer: a bare Hono handler (no work behind it)
// through one round of the same sends, the least a Node HTTP server takes.
//
// BENCH_MEMORY_COUNT (20000) sends a round; BENCH_MEMORY_ROUNDS (3); BENCH_MEMORY_NODE_FLAGS: Node
// flags for the gateway instead of those `npm start` gives it (to try others); BENCH_MEMORY_SNAPSHOTS=DIR writes a heap snapshot after each
// round there (round-N.heapsnapshot: it takes seconds and raises the RSS of the rounds after it);
// BENCH_MEMORY_TRACE=FILE appends a line a second (round, s, RSS, malloc heap, anonymous, files, V8
// resident, young generation, heap used, external, webhook events received; MB).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as httpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { freePort, NEVER_REFUSING_LIMITS, ROOT, START_NODE_FLAGS } from './processes';

const PER_ROUND = Number(process.env.BENCH_MEMORY_COUNT ?? 20_000);
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 3);
const CONNECTIONS = 50;
/** The Node flags `npm start` gives the gateway, unless BENCH_MEMORY_NODE_FLAGS says others. */
const NODE_FLAGS = process.env.BENCH_MEMORY_NODE_FLAGS?.split(' ').filter(Boolean) ?? START_NODE_FLAGS;
const SNAPSHOTS = process.env.BENCH_MEMORY_SNAPSHOTS;
const ADMIN_KEY = 'mk_live_memory0123456789abcdefghij0123456789abcd';
/** Events a delivered message sends its webhook: `sent`, then `delivered`. */
const EVENTS_PER_MESSAGE = 2;

const status = (pid: number) => readFileSync(`/proc/${pid}/status`, 'utf8');
/** Resident MB by kind of mapping: the main thread's malloc heap (brk), anonymous maps, files. */
function residentByKind(pid: number) {
  const kinds = { brk: 0, anon: 0, file: 0 };
  let kind: keyof typeof kinds = 'anon';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head)
      kind = head[1] === '[heap]' ? 'brk' : head[1] === '' || head[1]!.startsWith('[') ? 'anon' : 'file';
    else if (line.startsWith('Rss:')) kinds[kind] += Number(/\d+/.exec(line)![0]) / 1024;
  }
  return kinds;
}
const mb = (text: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(text)?.[1]) / 1024;

// The SMSC in its own thread, with receipts.
const smscThread = new Worker(new URL('./servers/smsc-thread.mjs', import.meta.url), {
  execArgv: [],
  workerData: { receipts: true },
});
const smscPort = await new Promise<number>((r) => smscThread.once('message', r));
/** Receipts the gateway has acknowledged: it answers a deliver_sm once the receipt is stored. */
const receiptsStored = () =>
  new Promise<number>((r) => {
    smscThread.once('message', (c: { receiptsAcknowledged: number }) => r(c.receiptsAcknowledged));
    smscThread.postMessage('counters');
  });

// The webhook receiver.
let received = 0;
const receiver = httpServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.end('ok');
  });
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-memory-'));
const config = join(dir, 'config.json');
writeFileSync(
  config,
  JSON.stringify({
    limits: NEVER_REFUSING_LIMITS,
    carriers: [
      {
        id: 'sim',
        type: 'smpp',
        host: '127.0.0.1',
        port: smscPort,
        systemId: 'dev',
        password: 'x',
        window: 10,
      },
    ],
    // As bench/webhooks.ts: 50 attempts at once to the one receiver (the default 8 would take many
    // minutes a round to drain the events of 20,000 sends).
    webhooks: { allowPrivateNetworks: true, batchSize: CONNECTIONS + 1, maxInFlightPerHost: CONNECTIONS },
  }),
);

const port = await freePort();
const gateway: ChildProcess = spawn(
  'node',
  [
    '--import',
    join(ROOT, 'bench/servers/memory-probe.mjs'),
    ...NODE_FLAGS,
    'packages/runtime-node/dist/main.js',
  ],
  {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MIFUMO_CONFIG: config,
      DATABASE_URL: `file:${join(dir, 'memory.db')}`,
      MIFUMO_ADMIN_KEY: ADMIN_KEY,
      MIFUMO_INITIAL_BALANCE: '1000000000',
    },
  },
);
await new Promise<void>((res, rej) => {
  let out = '';
  gateway.stdout!.on('data', (d) => {
    out += d;
    if (out.includes(`listening on http://127.0.0.1:${port}`)) res();
  });
  gateway.once('exit', (code) => rej(new Error(`the gateway exited ${code}: ${out}`)));
});
// Not left running should this run fail.
process.once('exit', () => gateway.kill('SIGKILL'));
const pid = gateway.pid!;

interface Heap {
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** Resident KB of each V8 heap space. */
  spaces: Record<string, number>;
  /** Time spent collecting garbage since the start. */
  gcMs: number;
}
const residentMb = (h: Heap) => Object.values(h.spaces).reduce((a, b) => a + b, 0) / 1024;
const youngMb = (h: Heap) => ((h.spaces.new_space ?? 0) + (h.spaces.new_large_object_space ?? 0)) / 1024;
let asked = 0;
/** The gateway's heap after a full collection, or as it is (`gc` false); a snapshot written to `snapshot`, if given. */
const heap = (snapshot?: string, gc = true) =>
  new Promise<Heap>((res) => {
    const id = ++asked;
    const answer = (m: Heap & { id: number }) => {
      if (m.id !== id) return;
      gateway.off('message', answer);
      res(m);
    };
    gateway.on('message', answer);
    gateway.send({ id, snapshot, gc });
  });

// RSS sampled all along; each round's peak is the highest sample from its first send to its last event.
let peak = 0;
let round = 0;
const sampler = setInterval(() => {
  peak = Math.max(peak, mb(status(pid), 'VmRSS'));
}, 50);
const trace = process.env.BENCH_MEMORY_TRACE;
const began = performance.now();
const tracer =
  trace &&
  setInterval(async () => {
    const k = residentByKind(pid);
    const h = await heap(undefined, false);
    const line = [round, (performance.now() - began) / 1000, mb(status(pid), 'VmRSS'), k.brk, k.anon, k.file];
    line.push(residentMb(h), youngMb(h), h.heapUsed / 1048576, h.external / 1048576, received);
    appendFileSync(trace, `${line.map((n) => n.toFixed(0)).join(' ')}\n`);
  }, 1000);

const afterStart = mb(status(pid), 'VmRSS');
let gcBefore = (await heap(undefined, false)).gcMs;
const rows: {
  peak: number;
  rssAfter: number;
  heap: Heap;
  kinds: ReturnType<typeof residentByKind>;
  gcMsPerSend: number;
  rps: number;
  seconds: number;
}[] = [];
for (round = 1; round <= ROUNDS; round++) {
  peak = 0;
  const started = performance.now();
  const r = await autocannon({
    url: `http://127.0.0.1:${port}/api/integration/v1/sms/send/`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({
      message: 'Hello from Mifumo SMS!',
      recipients: ['+255754000111'],
      sender_id: 'MIFUMO',
      webhook_url: webhookUrl,
    }),
    connections: CONNECTIONS,
    amount: PER_ROUND,
    timeout: 120, // s: a loaded machine (shared, 2 cores) is slow, not wrong
  });
  if (r.non2xx || r.errors) throw new Error(`round ${round}: ${r.non2xx} non-2xx, ${r.errors} errors`);
  // The round ends when its messages are delivered (receipts stored) and their webhooks received.
  const deadline = Date.now() + 600_000;
  const events = round * PER_ROUND * EVENTS_PER_MESSAGE;
  for (let stored = 0; stored < round * PER_ROUND || received < events; stored = await receiptsStored()) {
    if (Date.now() > deadline)
      throw new Error(`round ${round}: ${stored} receipts stored, ${received} of ${events} webhook events`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  const text = status(pid);
  peak = Math.max(peak, mb(text, 'VmRSS'));
  const after = await heap(SNAPSHOTS && join(SNAPSHOTS, `round-${round}.heapsnapshot`));
  rows.push({
    peak,
    rssAfter: mb(text, 'VmRSS'),
    heap: after,
    kinds: residentByKind(pid),
    gcMsPerSend: (after.gcMs - gcBefore) / PER_ROUND,
    rps: PER_ROUND / r.duration,
    seconds,
  });
  gcBefore = (await heap(undefined, false)).gcMs; // without the collection asked for above
}
clearInterval(sampler);
if (tracer) clearInterval(tracer);
gateway.kill('SIGTERM');
await new Promise((r) => gateway.once('exit', r));
receiver.close();
smscThread.postMessage('close');
await new Promise((r) => smscThread.once('exit', r));

/** The peer: a bare Hono handler's peak RSS through one round of the same sends. */
async function barePeak(): Promise<number> {
  const barePort = await freePort();
  const bare = spawn('node', [join(ROOT, 'bench/servers/bare-hono.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: String(barePort) },
  });
  await new Promise<void>((res) => bare.stdout!.on('data', (d) => String(d).includes('ready') && res()));
  let most = 0;
  const sample = setInterval(() => {
    most = Math.max(most, mb(status(bare.pid!), 'VmRSS'));
  }, 50);
  await autocannon({
    url: `http://127.0.0.1:${barePort}/api/integration/v1/sms/send/`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'Hello from Mifumo SMS!', recipients: ['+255754000111'] }),
    connections: CONNECTIONS,
    amount: PER_ROUND,
  });
  clearInterval(sample);
  bare.kill('SIGTERM');
  await new Promise((r) => bare.once('exit', r));
  return most;
}
const bare = await barePeak();

const f = (n: number, w: number) => n.toFixed(0).padStart(w);
console.log(
  `\nGateway memory (built dist/main.js, SQLite file, SMPP simulator window 10 with receipts, webhooks), ` +
    `${ROUNDS} rounds of ${PER_ROUND} one-recipient sends (${CONNECTIONS} connections), each until every ` +
    `webhook event arrived; RSS after start ${afterStart.toFixed(0)} MB` +
    `${NODE_FLAGS.length ? `; node ${NODE_FLAGS.join(' ')}` : ''}. MB; after a round: after a full collection.\n`,
);
console.log(
  '| round | peak RSS | peak ÷ bare Hono | RSS after | heap used | V8 resident (young) | malloc heap | other anonymous | files | GC ms/send | sends/s | s to last event |',
);
console.log(
  '|------:|---------:|-----------------:|----------:|----------:|--------------------:|------------:|----------------:|------:|-----------:|--------:|----------------:|',
);
rows.forEach((r, i) => {
  const v8 = residentMb(r.heap);
  const young = `${f(v8, 3)} (${youngMb(r.heap).toFixed(0)})`;
  console.log(
    `| ${f(i + 1, 5)} | ${f(r.peak, 8)} | ${(r.peak / bare).toFixed(2).padStart(16)} | ${f(r.rssAfter, 9)} | ${(r.heap.heapUsed / 2 ** 20).toFixed(1).padStart(9)} | ${young.padStart(19)} | ${f(r.kinds.brk, 11)} | ${f(r.kinds.anon - v8, 15)} | ${f(r.kinds.file, 5)} | ${r.gcMsPerSend.toFixed(3).padStart(10)} | ${f(r.rps, 7)} | ${r.seconds.toFixed(1).padStart(15)} |`,
  );
});
console.log(`\nA bare Hono handler through ${PER_ROUND} of the same sends: peak RSS ${bare.toFixed(0)} MB.`);

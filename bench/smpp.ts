// submit_sm per second through our SMPP adapter against a bare client (pre-encoded PDUs, the same
// window) to the same in-process SMSC simulator on loopback, alternating rounds, in this run.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Worker } from 'node:worker_threads';
// Only to pre-encode the bare client's PDUs and frame its answers.
import { blankShortMessage, encodePdu, PduFramer } from '../packages/adapters/src/smpp/pdu';
import type { OutboundMessage } from '../packages/core/src';
import { median } from './median';

/** A module of the packages' build (`npm run bench` builds first), typed by its source. */
const built = <Source>(path: string): Promise<Source> =>
  import(new URL(`../packages/${path}`, import.meta.url).href);
// The adapter and the simulator as the gateway runs them: built.
const { createSmppCarrier } = await built<typeof import('../packages/adapters/src/smpp')>(
  'adapters/dist/smpp/index.js',
);
const { analyzeMessage } = await built<typeof import('../packages/core/src')>('core/dist/index.js');
const { recordingContext } = await built<typeof import('../packages/core/src/testing')>(
  'core/dist/testing/index.js',
);

const N = Number(process.env.BENCH_SMPP_COUNT ?? 20_000);
const WINDOW = 50;
/** Rounds of each client, alternating: on this shared machine three were too few for a steady median. */
const ROUNDS = Number(process.env.BENCH_SMPP_ROUNDS ?? 7);
/** Submits the adapter is given at once (the dispatcher's batch is 100). */
const IN_FLIGHT = 4 * WINDOW;

// The simulator runs in its own thread (as an SMSC runs apart from its clients); both clients use it.
const smscThread = new Worker(new URL('./servers/smsc-thread.mjs', import.meta.url), { execArgv: [] });
const smsc = { port: await new Promise<number>((r) => smscThread.once('message', r)) };

const sm = {
  ...blankShortMessage(),
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'MIFUMO',
  destination_addr: '255754000111',
  registered_delivery: 1,
  short_message: new TextEncoder().encode('Habari, oda yako imefika.'),
};

/** A bare ESME: one bind, one pre-encoded submit_sm whose sequence is patched, `WINDOW` outstanding. */
async function bare(): Promise<number> {
  const socket = connect(smsc.port, '127.0.0.1');
  socket.setNoDelay(true);
  await new Promise((r) => socket.once('connect', r));
  const template = Buffer.from(encodePdu({ command: 'submit_sm', sm, status: 0, sequence: 1 }));
  const framer = new PduFramer();
  let sent = 0;
  let answered = 0;
  let start = 0;
  return new Promise<number>((resolve) => {
    const send = () => {
      socket.cork();
      while (sent < N && sent - answered < WINDOW) {
        const pdu = Buffer.from(template);
        pdu.writeUInt32BE(++sent + 1, 12);
        socket.write(pdu);
      }
      socket.uncork();
    };
    socket.on('data', (chunk: Buffer) => {
      for (const frame of framer.push(chunk)) {
        const command = Buffer.from(frame).readUInt32BE(4);
        if (command === 0x80000009) {
          start = performance.now();
          send();
        } else if (command === 0x80000004 && ++answered === N) {
          resolve((N / (performance.now() - start)) * 1000);
          socket.destroy();
          return;
        }
      }
      send();
    });
    socket.write(
      encodePdu({
        command: 'bind_transceiver',
        status: 0,
        sequence: 1,
        bind: {
          system_id: 'bare',
          password: 'x',
          system_type: '',
          interface_version: 0x34,
          addr_ton: 0,
          addr_npi: 0,
          address_range: '',
        },
      }),
    );
  });
}

/** Our adapter: every message analysed, split, packed and encoded on the way, as the dispatcher submits it. */
async function adapter(): Promise<number> {
  const carrier = createSmppCarrier({
    id: 'bench',
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'bench',
    password: 'x',
    window: WINDOW,
  });
  await carrier.start?.(recordingContext().ctx);
  while (!carrier.sessions[0]?.bound) await new Promise((r) => setTimeout(r, 5));
  const a = analyzeMessage('Habari, oda yako imefika.');
  const never = new AbortController().signal;
  // As the dispatcher feeds it: a few batches' worth of submits outstanding at a time, not all N at once.
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const message: OutboundMessage = {
        id: `rcp_${i}`,
        messageId: `msg_${i}`,
        to: '+255754000111',
        from: 'MIFUMO',
        text: a.text,
        encoding: a.encoding,
        parts: a.parts,
        nationalLanguage: null,
      };
      await carrier.submit(message, never);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const perSecond = (N / (performance.now() - start)) * 1000;
  await carrier.stop?.();
  return perSecond;
}

/**
 * CPU time of this thread, the clients' (the simulator has its own), in ms: from /proc on Linux, in
 * ticks of 10 ms; undefined elsewhere. Unlike submits per second, it hardly moves with the machine's load.
 */
function clientCpuMs(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime
  } catch {
    return undefined;
  }
}

/** Runs one round of `client`, keeping its submits per second and adding up its CPU time. */
async function round(client: () => Promise<number>, into: { rates: number[]; cpuMs: number }) {
  const before = clientCpuMs();
  into.rates.push(await client());
  into.cpuMs += (clientCpuMs() ?? Number.NaN) - (before ?? Number.NaN);
}

const ours = { rates: [] as number[], cpuMs: 0 };
const peer = { rates: [] as number[], cpuMs: 0 };
await bare(); // warm-up, both paths
await adapter();
for (let i = 0; i < ROUNDS; i++) {
  await round(bare, peer);
  await round(adapter, ours);
}
smscThread.postMessage('close');
await new Promise((r) => smscThread.once('exit', r));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(10);
/** CPU µs per submit over all rounds (a mean: a round is only a few ticks of CPU time). */
const cpu = (ms: number) => (Number.isNaN(ms) ? '–' : ((ms * 1000) / (N * ROUNDS)).toFixed(1)).padStart(6);
console.log(
  `\nSMPP submit_sm/s to the simulator (its own thread) on loopback, window ${WINDOW}, ${N} submits × ${ROUNDS} rounds:\n`,
);
console.log('| client                         | submit_sm/s (median) | CPU µs/submit (mean) |  rounds |');
console.log('|--------------------------------|---------------------:|---------------------:|--------:|');
for (const [name, { rates, cpuMs }] of [
  ['Mifumo SMPP adapter           ', ours],
  ['bare client, pre-encoded PDUs ', peer],
] as const)
  console.log(
    `| ${name} | ${fmt(median(rates))}           | ${cpu(cpuMs)}               | ${rates.map((x) => Math.round(x)).join(', ')} |`,
  );
console.log(
  `\nMifumo reaches ${((median(ours.rates) / median(peer.rates)) * 100).toFixed(0)}% of the bare client (target ≥ 80%)`,
);

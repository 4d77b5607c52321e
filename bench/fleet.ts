// `npm run bench -- fleet`: three gateway processes on one PostgreSQL database against one process on
// the same database, in one run: the send endpoint's throughput when a fleet shares the load, for one
// busy account and for an account per process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgres } from '../packages/runtime-node/src/testing/postgres';
import { cpuMeter } from './cpu';
import {
  ADMIN_KEY,
  cells,
  type Load,
  loadSends,
  median,
  NEVER_REFUSING_LIMITS,
  type Server,
  START_NODE_FLAGS,
  startServer,
} from './send-load';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
/** Connections to each process: a fleet of three gets three times the clients of one process. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FLEET = 3;
const OPERATOR_KEY = 'mk_op_fleetbench0123456789abcdef0123456789abcd';

const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-fleet-'));
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ limits: NEVER_REFUSING_LIMITS }));

const pg = await freshPostgres();
const database = new URL(pg.url).pathname.slice(1);
const env = {
  MIFUMO_CONFIG: config,
  DATABASE_URL: pg.url,
  MIFUMO_ADMIN_KEY: ADMIN_KEY, // the first start makes its account; the others find the key
  MIFUMO_OPERATOR_KEY: OPERATOR_KEY,
  MIFUMO_INITIAL_BALANCE: '1000000000',
  MIFUMO_SECRET: 'fe'.repeat(32),
};

/** An operator command on the gateway at `port` (as `mifumo --remote` sends it); its `data`. */
async function operator(port: number, argv: string[]) {
  const res = await fetch(`http://127.0.0.1:${port}/api/integration/operator/commands/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ argv }),
  });
  if (!res.ok) throw new Error(`${argv.join(' ')}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { result: Record<string, string> } }).data.result;
}

/** A key of a new account with a balance that lasts the run. */
async function newAccountKey(port: number, name: string) {
  const account = await operator(port, ['accounts', 'create', '--name', name, '--balance', '1000000000']);
  return (await operator(port, ['keys', 'create', '--account', account.id!, '--name', name])).key!;
}

interface Result extends Load {
  /** CPU per request: the gateways' processes, and PostgreSQL's processes serving the database. */
  cpuMs: number;
  databaseCpuMs: number;
}

/** One gateway per key, each loaded with sends of its key, together; then stopped. */
async function measure(keys: readonly string[]): Promise<Result> {
  const servers: Server[] = [];
  for (const _ of keys) servers.push(await startServer('mifumo.mjs', env, START_NODE_FLAGS));
  try {
    const load = await loadSends(
      servers.map((s, i) => ({ port: s.port, key: keys[i]! })),
      { connections: CONNECTIONS, durationS: DURATION_S, title: `${keys.length} processes` },
      () =>
        cpuMeter(
          servers.map((s) => s.child.pid!),
          database,
        ),
    );
    const perRequestMs = (seconds: number) => (seconds * 1000) / Math.max(1, load.total);
    return {
      ...load,
      cpuMs: perRequestMs(load.measured.own),
      databaseCpuMs: perRequestMs(load.measured.database),
    };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

const variants = {
  one: [ADMIN_KEY],
  // Every process sends for the same account, as a fleet behind one load balancer does for one busy
  // account: its balance and rate-limit rows are written by every send of every process.
  sameAccount: Array<string>(FLEET).fill(ADMIN_KEY),
  // An account per process: no row is written by more than one process's sends.
  ownAccount: [ADMIN_KEY] as string[],
};
const results: Record<keyof typeof variants, Result[]> = { one: [], sameAccount: [], ownAccount: [] };
try {
  const first = await startServer('mifumo.mjs', env, START_NODE_FLAGS);
  for (let i = 1; i < FLEET; i++) variants.ownAccount.push(await newAccountKey(first.port, `fleet-${i}`));
  await first.stop();
  const order = Object.keys(variants) as (keyof typeof variants)[];
  for (let i = 0; i < ROUNDS; i++) {
    // Each round starts with another variant, so a database that grows over the run favours none.
    for (let j = 0; j < order.length; j++) {
      const name = order[(i + j) % order.length]!;
      results[name].push(await measure(variants[name]));
    }
  }
} finally {
  await pg.drop();
}

const row = (name: string, rs: Result[]) =>
  console.log(
    cells([
      name,
      Math.round(median(rs.map((r) => r.rps))),
      median(rs.map((r) => r.p99)),
      rs.reduce((n, r) => n + r.failures, 0),
      median(rs.map((r) => r.cpuMs)).toFixed(2),
      median(rs.map((r) => r.databaseCpuMs)).toFixed(2),
      rs.map((r) => Math.round(r.rps)).join(', '),
    ]),
  );
console.log(
  `\nPOST /v1/sms/send/ on one PostgreSQL database, ${CONNECTIONS} connections per process, ${DURATION_S} s each, ${ROUNDS} alternating rounds, medians:\n`,
);
console.log(
  cells(['gateways', 'req/s', 'p99 ms', 'errors', 'CPU ms/req', 'PostgreSQL CPU ms/req', 'rounds (req/s)']),
);
console.log('|---|--:|--:|--:|--:|--:|---|');
row('one process', results.one);
row(`${FLEET} processes, one account`, results.sameAccount);
row(`${FLEET} processes, an account each`, results.ownAccount);
const ratios = (fleet: Result[]) => {
  const xs = fleet.map((r, i) => r.rps / results.one[i]!.rps);
  return `${xs.map((x) => `${x.toFixed(2)}×`).join(', ')} (median ${median(xs).toFixed(2)}×)`;
};
console.log(`\n${FLEET} processes / one, round by round (target: at least 2×):`);
console.log(`- one account: ${ratios(results.sameAccount)}`);
console.log(`- an account each: ${ratios(results.ownAccount)}`);

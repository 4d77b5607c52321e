// `npm run bench`: our send endpoint (SQLite file, PostgreSQL) against a bare Hono handler, all measured
// here, in one run.
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
  rssMb,
  type Server,
  START_NODE_FLAGS,
  startServer,
} from './send-load';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-'));
// Limits stay on (every request still takes from them) but high enough that the load is never refused.
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ limits: NEVER_REFUSING_LIMITS }));

interface Result extends Load {
  rssAfter: number;
  /** CPU per request: the server's process, and PostgreSQL's processes serving its database. */
  cpuMs: number;
  databaseCpuMs: number;
}

/** Loads `server` (plain node, built code: as `npm start` runs it), then stops it. */
async function measure(server: Server, title: string, database?: string): Promise<Result> {
  const load = await loadSends(
    [{ port: server.port, key: ADMIN_KEY }],
    { connections: CONNECTIONS, durationS: DURATION_S, title },
    () => cpuMeter([server.child.pid!], database),
  );
  const rssAfter = rssMb(server.child.pid!);
  await server.stop();
  const perRequestMs = (seconds: number) => (seconds * 1000) / Math.max(1, load.total);
  return {
    ...load,
    rssAfter,
    cpuMs: perRequestMs(load.measured.own),
    databaseCpuMs: perRequestMs(load.measured.database),
  };
}

const gateway = async (databaseUrl: string, title: string) =>
  measure(
    await startServer(
      'mifumo.mjs',
      {
        MIFUMO_CONFIG: config,
        DATABASE_URL: databaseUrl,
        MIFUMO_ADMIN_KEY: ADMIN_KEY,
        MIFUMO_INITIAL_BALANCE: '1000000000',
      },
      START_NODE_FLAGS,
    ),
    title,
    databaseUrl.startsWith('postgres') ? new URL(databaseUrl).pathname.slice(1) : undefined,
  );

const sqlite: Result[] = [];
const postgres: Result[] = [];
const peer: Result[] = [];
const pg = await freshPostgres().catch(() => null); // the PostgreSQL rows need a server on 127.0.0.1:5432
for (let i = 0; i < ROUNDS; i++) {
  peer.push(await measure(await startServer('bare-hono.mjs', {}), 'bare hono'));
  sqlite.push(await gateway(`file:${join(dir, `bench-${i}.db`)}`, 'mifumo sqlite'));
  if (pg) postgres.push(await gateway(pg.url, 'mifumo postgres'));
}
await pg?.drop();

const bareRps = median(peer.map((r) => r.rps));
const row = (name: string, rs: Result[]) => {
  const rps = median(rs.map((r) => r.rps));
  const databaseCpu = median(rs.map((r) => r.databaseCpuMs));
  console.log(
    cells([
      name,
      Math.round(rps),
      median(rs.map((r) => r.p99)),
      rs.reduce((n, r) => n + r.failures, 0),
      Math.max(...rs.map((r) => r.rssAfter)).toFixed(0),
      `${((rps / bareRps) * 100).toFixed(1)} %`,
      median(rs.map((r) => r.cpuMs)).toFixed(2),
      databaseCpu ? databaseCpu.toFixed(2) : '',
      rs.map((r) => Math.round(r.rps)).join(', '),
    ]),
  );
};
console.log(
  `\nPOST /v1/sms/send/, one recipient, ${CONNECTIONS} connections, ${DURATION_S} s each, ${ROUNDS} alternating rounds, medians:\n`,
);
console.log(
  cells([
    'server',
    'req/s',
    'p99 ms',
    'errors',
    'peak RSS MB',
    'of bare',
    'CPU ms/req',
    'PostgreSQL CPU ms/req',
    'rounds (req/s)',
  ]),
);
console.log('|---|--:|--:|--:|--:|--:|--:|--:|---|');
row('Mifumo, SQLite file, fake carrier', sqlite);
if (pg) row('Mifumo, PostgreSQL, fake carrier', postgres);
row('bare Hono handler, same JSON', peer);
if (pg) {
  // Each round's PostgreSQL figure against that round's SQLite one (measured seconds apart), so a load
  // that moves between rounds moves both.
  const ratios = postgres.map((r, i) => r.rps / sqlite[i]!.rps);
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  console.log(
    `\nPostgreSQL / SQLite file, round by round: ${ratios.map(pct).join(', ')} (median ${pct(median(ratios))}; target: at least 35 %).`,
  );
}
console.log(
  '\nTarget: at least 50 % of the bare handler, p99 under 20 ms, no errors, peak RSS under 200 MB.',
);

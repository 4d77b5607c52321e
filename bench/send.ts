// `npm run bench`: our send endpoint against a bare Hono handler, both measured here, in one run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { freshPostgres } from '../packages/runtime-node/src/testing/postgres';
import { median } from './median';
import { rssMb, startServer, stopProcess } from './processes';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ADMIN_KEY = 'mk_live_0123456789abcdefghijklmnop0123456789abcd';

async function load(port: number, title: string) {
  const request = {
    url: `http://127.0.0.1:${port}/api/integration/v1/sms/send/`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify({
      message: 'Hello from Mifumo SMS!',
      recipients: ['+255754000111'],
      sender_id: 'MIFUMO',
    }),
  };
  await autocannon({ ...request, connections: CONNECTIONS, duration: 2 }); // warm-up
  const r = await autocannon({ ...request, title, connections: CONNECTIONS, duration: DURATION_S });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-'));
// Limits stay on (every request still takes from them) but high enough that the load is never refused.
const config = join(dir, 'config.json');
writeFileSync(
  config,
  JSON.stringify({ limits: { smsPerMinute: 100_000_000, apiCallsPerHour: 1_000_000_000 } }),
);

type Result = Awaited<ReturnType<typeof load>> & { rssAfter: number };

/** The gateway on `databaseUrl` (built code, as `npm start` runs it), loaded, then stopped. */
async function gateway(databaseUrl: string, title: string): Promise<Result> {
  const ours = await startServer('mifumo.mjs', {
    MIFUMO_CONFIG: config,
    DATABASE_URL: databaseUrl,
    MIFUMO_ADMIN_KEY: ADMIN_KEY,
    MIFUMO_INITIAL_BALANCE: '1000000000',
  });
  const result = await load(ours.port, title);
  const rssAfter = rssMb(ours.child.pid!);
  await stopProcess(ours.child);
  return { ...result, rssAfter };
}

async function bareHandler(): Promise<Result> {
  const bare = await startServer('bare-hono.mjs', {});
  const result = await load(bare.port, 'bare hono');
  const rssAfter = rssMb(bare.child.pid!);
  await stopProcess(bare.child);
  return { ...result, rssAfter };
}

const sqlite: Result[] = [];
const postgres: Result[] = [];
const peer: Result[] = [];
const pg = await freshPostgres().catch(() => null); // the PostgreSQL rows need a server on 127.0.0.1:5432
for (let i = 0; i < ROUNDS; i++) {
  peer.push(await bareHandler());
  sqlite.push(await gateway(`file:${join(dir, `bench-${i}.db`)}`, 'mifumo sqlite'));
  if (pg) postgres.push(await gateway(pg.url, 'mifumo postgres'));
}
await pg?.drop();

const bareRps = median(peer.map((r) => r.rps));
const row = (name: string, rs: Result[]) => {
  const rps = median(rs.map((r) => r.rps));
  const errors = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
  console.log(
    `| ${name.padEnd(34)} | ${Math.round(rps).toString().padStart(8)} | ${String(median(rs.map((r) => r.p99))).padStart(6)} | ${String(errors).padStart(6)} | ${Math.max(
      ...rs.map((r) => r.rssAfter),
    )
      .toFixed(0)
      .padStart(
        7,
      )} | ${((rps / bareRps) * 100).toFixed(1).padStart(6)} % | ${rs.map((r) => Math.round(r.rps)).join(', ')} |`,
  );
};
console.log(
  `\nPOST /v1/sms/send/, one recipient, ${CONNECTIONS} connections, ${DURATION_S} s each, ${ROUNDS} alternating rounds, medians:\n`,
);
console.log(
  '| server                             |    req/s | p99 ms | errors | peak RSS MB | of bare | rounds |',
);
console.log(
  '|------------------------------------|---------:|-------:|-------:|--------:|--------:|--------|',
);
row('Mifumo, SQLite file, fake carrier', sqlite);
if (pg) row('Mifumo, PostgreSQL, fake carrier', postgres);
row('bare Hono handler, same JSON', peer);
console.log(
  '\nTarget: at least 50 % of the bare handler, p99 under 20 ms, no errors, peak RSS under 200 MB.',
);

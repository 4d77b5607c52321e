// `npm run bench`: our send endpoint against a bare Hono handler, both measured here, in one run.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

const ROOT = resolve(import.meta.dirname, '..');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ADMIN_KEY = 'mk_bench_0123456789abcdefghijklmnop';

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

const rssMb = (pid: number) => {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
};

async function start(
  script: string,
  env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = spawn('node', ['--import', 'tsx', join(ROOT, 'bench/servers', script)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && res());
    child.once('exit', (code) => rej(new Error(`${script} exited ${code}`)));
  });
  return { child, port };
}

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

const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-'));
// Limits stay on (every request still takes from them) but high enough that the load is never refused.
const config = join(dir, 'config.json');
writeFileSync(
  config,
  JSON.stringify({ limits: { smsPerMinute: 100_000_000, apiCallsPerHour: 1_000_000_000 } }),
);
const ours = await start('mifumo.ts', {
  MIFUMO_CONFIG: config,
  DATABASE_URL: `file:${join(dir, 'bench.db')}`,
  MIFUMO_ADMIN_KEY: ADMIN_KEY,
  MIFUMO_INITIAL_BALANCE: '1000000000',
});
const rssBefore = rssMb(ours.child.pid!);
const oursResult = await load(ours.port, 'mifumo');
const rssAfter = rssMb(ours.child.pid!);
ours.child.kill('SIGTERM');

const bare = await start('bare-hono.ts', {});
const bareResult = await load(bare.port, 'bare hono');
bare.child.kill('SIGTERM');

const row = (name: string, r: typeof oursResult) =>
  `| ${name.padEnd(32)} | ${Math.round(r.rps).toString().padStart(8)} | ${String(r.p99).padStart(7)} | ${String(r.non2xx + r.errors).padStart(6)} |`;
console.log(
  `\nPOST /v1/sms/send/, one recipient, ${CONNECTIONS} connections, ${DURATION_S} s each, on this machine:\n`,
);
console.log('| server                           |    req/s | p99 ms | errors |');
console.log('|----------------------------------|---------:|-------:|-------:|');
console.log(row('Mifumo (SQLite, fake carrier)', oursResult));
console.log(row('bare Hono handler, same JSON', bareResult));
console.log(
  `\nratio: Mifumo serves ${((oursResult.rps / bareResult.rps) * 100).toFixed(1)}% of the bare handler's requests/s (target ≥ 50%)`,
);
console.log(
  `Mifumo RSS: ${rssBefore.toFixed(0)} MB before the load, ${rssAfter.toFixed(0)} MB after ${Math.round(oursResult.rps * DURATION_S)} sends`,
);

// Start time and memory of the gateway as `npm start` runs it: the built JavaScript (dist/, what
// `npm start` runs now) against the TypeScript sources through tsx (what it ran before), in this run,
// alternating rounds on fresh databases. Start time: spawn until the first API answer.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './median';
import { freePort, ROOT, rssMb, stopProcess } from './processes';

const ROUNDS = 5;
const KEY = 'mk_live_start0123456789abcdefghij0123456789abcde';
const VARIANTS = {
  'built dist/ (npm start)': ['packages/runtime-node/dist/main.js'],
  'sources through tsx (before)': [
    '--conditions=@mifumo/source',
    '--import',
    'tsx',
    'packages/runtime-node/src/main.ts',
  ],
} as const;

async function once(args: readonly string[]): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-bench-start-'));
  const started = performance.now();
  const child = spawn('node', [...args], {
    cwd: ROOT,
    stdio: 'ignore',
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'start.db')}`,
      MIFUMO_ADMIN_KEY: KEY,
    },
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/integration/v1/sms/balance/`, {
          headers: { authorization: `Bearer ${KEY}` },
        });
        if (res.ok) break;
      } catch {}
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return { ms: performance.now() - started, rssMb: rssMb(child.pid!) };
  } finally {
    await stopProcess(child);
  }
}

const results = new Map<string, { ms: number[]; rss: number[] }>();
for (let i = 0; i < ROUNDS; i++)
  for (const [name, args] of Object.entries(VARIANTS)) {
    const r = await once(args);
    const entry = results.get(name) ?? { ms: [], rss: [] };
    entry.ms.push(r.ms);
    entry.rss.push(r.rssMb);
    results.set(name, entry);
  }
console.log(`\nGateway start (spawn → first API answer, fresh SQLite file), ${ROUNDS} alternating rounds:\n`);
console.log('| how it runs                  | start ms (median) | RSS MB after start (median) |');
console.log('|------------------------------|------------------:|----------------------------:|');
for (const [name, r] of results)
  console.log(
    `| ${name.padEnd(28)} | ${Math.round(median(r.ms)).toString().padStart(17)} | ${median(r.rss).toFixed(0).padStart(27)} |`,
  );

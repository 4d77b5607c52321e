// Servers in processes of their own (bench/servers/*.mjs, plain node, built code) and the send
// endpoint's load on them: what bench/send.ts and bench/fleet.ts share.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';

export const ROOT = resolve(import.meta.dirname, '..');
export const ADMIN_KEY = 'mk_live_0123456789abcdefghijklmnop0123456789abcd';

export const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

export const rssMb = (pid: number) => {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
};

export interface Server {
  child: ChildProcess;
  port: number;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/**
 * `bench/servers/<script>` on a free port, once it prints `ready`. In a session of its own, as a service
 * runs: where the kernel shares the CPU between sessions (autogroup), a server in the benchmark's session
 * would share one session's share with the load generator and with every other server started here.
 */
export async function startServer(script: string, env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn('node', [join(ROOT, 'bench/servers', script)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && res());
    child.once('exit', (code) => rej(new Error(`${script} exited ${code}`)));
  });
  const exited = new Promise((r) => child.once('exit', r));
  return {
    child,
    port,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Load {
  /** Requests per second, all ports together. */
  rps: number;
  /** Of the slowest port. */
  p99: number;
  /** Answers other than 2xx, and connection errors. */
  failures: number;
  total: number;
}

/** Where a load goes: a server's port, and the API key its sends carry. */
export interface Target {
  port: number;
  key: string;
}

/**
 * One-recipient sends to each target at once (`connections` each): a 2 s warm-up, then `durationS`
 * measured, `during` (started after the warm-up) told when it ends.
 */
export async function loadSends<T>(
  targets: readonly Target[],
  options: { connections: number; durationS: number; title: string },
  during: () => () => T,
): Promise<Load & { measured: T }> {
  const request = ({ port, key }: Target) => ({
    url: `http://127.0.0.1:${port}/api/integration/v1/sms/send/`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      message: 'Hello from Mifumo SMS!',
      recipients: ['+255754000111'],
      sender_id: 'MIFUMO',
    }),
    connections: options.connections,
  });
  await Promise.all(targets.map((t) => autocannon({ ...request(t), duration: 2 })));
  const end = during();
  const results = await Promise.all(
    targets.map((t) => autocannon({ ...request(t), title: options.title, duration: options.durationS })),
  );
  const measured = end();
  return {
    rps: results.reduce((s, r) => s + r.requests.average, 0),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    failures: results.reduce((s, r) => s + r.non2xx + r.errors, 0),
    total: results.reduce((s, r) => s + r.requests.total, 0),
    measured,
  };
}

export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A Markdown table row. */
export const cells = (values: readonly (string | number)[]) => `| ${values.join(' | ')} |`;

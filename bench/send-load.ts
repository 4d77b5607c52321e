// Servers in processes of their own (bench/servers/*.mjs, plain node, built code) and the send
// endpoint's load on them: what bench/send.ts and bench/fleet.ts share.
import type { ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';
import { startServer as startProcessServer, stopProcess } from './processes';

export { median } from './median';
export { freePort, NEVER_REFUSING_LIMITS, ROOT, rssMb, START_NODE_FLAGS } from './processes';

export const ADMIN_KEY = 'mk_live_0123456789abcdefghijklmnop0123456789abcd';

export interface Server {
  child: ChildProcess;
  port: number;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

/** `bench/servers/<script>` on a free port, once it prints `ready` (processes.ts `startServer`). */
export async function startServer(
  script: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<Server> {
  const { child, port } = await startProcessServer(script, env, nodeFlags);
  return { child, port, stop: () => stopProcess(child) };
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

/** A Markdown table row. */
export const cells = (values: readonly (string | number)[]) => `| ${values.join(' | ')} |`;

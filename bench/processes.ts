// What the benchmarks that run servers in processes of their own share: free ports, starting and
// stopping a server of bench/servers, asking it over IPC, and what /proc says about a process.
import { type ChildProcess, type Serializable, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** A gateway's rate limits for a benchmark: still taken from by every request, never refusing one. */
export const NEVER_REFUSING_LIMITS = { smsPerMinute: 100_000_000, apiCallsPerHour: 1_000_000_000 };

/** The Node flags `npm start` gives the gateway (the root package.json's start script). */
export const START_NODE_FLAGS = /node (.*?) ?packages\/runtime-node\/dist\/main\.js/
  .exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start)![1]!
  .split(' ')
  .filter(Boolean);

export const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

/** Resolves once something accepts connections on `port` of 127.0.0.1, rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((res) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        res(true);
      });
      socket.once('error', () => res(false));
    });
    if (open) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * `bench/servers/<script>` on plain node (no TypeScript loader: the gateway as `npm start` runs it,
 * built; a gateway with `START_NODE_FLAGS`) on a free port given as PORT, with an IPC channel; resolves once it prints `ready`.
 */
export async function startServer(
  script: string,
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  // In a session of its own, as a service runs: where the kernel shares the CPU between sessions
  // (autogroup), a server in the benchmark's session would share its share with the load generator.
  const child = spawn('node', [...nodeFlags, join(ROOT, 'bench/servers', script)], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
  });
  await new Promise<void>((res, rej) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && res());
    child.once('exit', (code) => rej(new Error(`${script} exited ${code}`)));
  });
  return { child, port };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves when it has exited. */
export async function stopProcess(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(force);
}

/** Sends `message` to a server started with an IPC channel and resolves with its next message. */
export function ask<Answer>(child: ChildProcess, message: Serializable): Promise<Answer> {
  return new Promise((res) => {
    child.once('message', (answer) => res(answer as Answer));
    child.send(message);
  });
}

const statusKb = (pid: number, field: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

/** Resident memory of `pid` now (all its threads), in MB. */
export const rssMb = (pid: number) => statusKb(pid, 'VmRSS') / 1024;

/** The most resident memory `pid` has had since it started, in MB. */
export const peakRssMb = (pid: number) => statusKb(pid, 'VmHWM') / 1024;

/** Clock ticks per second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** CPU time `pid` has used so far, user + system, every thread, in ms. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (in parentheses, which may hold spaces): utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** Samples the summed resident memory of `pids` every `everyMs`; `stop()` gives the highest sum, in MB. */
export function sampleRss(pids: number[], everyMs = 100): { stop(): number } {
  const sum = () => pids.reduce((mb, pid) => mb + rssMb(pid), 0);
  let peak = sum();
  const timer = setInterval(() => {
    peak = Math.max(peak, sum());
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, sum());
    },
  };
}

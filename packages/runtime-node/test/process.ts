import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

/** `npm start` as the workspace runs it: the sources, through tsx, under the source export condition. */
export const NODE_MAIN = [
  'node',
  '--conditions=@mifumo/source',
  '--import',
  'tsx',
  'packages/runtime-node/src/main.ts',
];

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mifumo-proc-'));
}

export function writeConfig(dir: string, name: string, config: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

export interface Running {
  child: ChildProcess;
  output: () => string;
  base: string;
  exited: Promise<number | null>;
}

/** Starts the gateway as a real child process (its own process group) and waits until it answers. */
export async function startProcess(
  command: string[],
  env: Record<string, string>,
  port: number,
): Promise<Running> {
  const child = spawn(command[0]!, command.slice(1), {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env },
  });
  let log = '';
  child.stdout!.on('data', (d) => {
    log += d;
  });
  child.stderr!.on('data', (d) => {
    log += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const base = `http://127.0.0.1:${port}/api/integration`;
  // Ready once this child says it listens on the port: something else answering there (another test's
  // server that took the port between freePort() and the child's listen) is not it.
  const listening = `listening on http://127.0.0.1:${port} `;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${log}`);
    if (log.includes(listening)) return { child, output: () => log, base, exited };
    await new Promise((r) => setTimeout(r, 50));
  }
  process.kill(-child.pid!, 'SIGKILL');
  throw new Error(`did not answer in time: ${log}`);
}

export async function poll<T>(fn: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await fn();
  while (!done(v) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    v = await fn();
  }
  return v;
}

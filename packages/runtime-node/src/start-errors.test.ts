import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, ROOT, startProcess, tempDir } from '../test/process';

/** Runs `npm start`'s main to its exit (60 s at most) and returns its exit code, stdout and stderr. */
function runToExit(env: Record<string, string>) {
  const child = spawn(NODE_MAIN[0]!, NODE_MAIN.slice(1), {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOST: '127.0.0.1', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    }),
  );
}

/** What a start-up mistake must print: one line naming the variable, no stack trace. */
function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

it('a PostgreSQL database that does not exist: one line naming it and DATABASE_URL, exit 1', async () => {
  const database = `mifumo_missing_${process.pid}_${Date.now()}`;
  const r = await runToExit({
    DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${database}`,
    PORT: String(await freePort()),
  });
  expect(r.code).toBe(1);
  expectOneLine(
    r.stderr,
    new RegExp(`^DATABASE_URL: PostgreSQL at 127\\.0\\.0\\.1:5432 has no database "${database}"; create it`),
  );
});

it('PostgreSQL not listening: one line naming DATABASE_URL, exit 1', async () => {
  const port = await freePort();
  const r = await runToExit({
    DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/mifumo`,
    PORT: String(await freePort()),
  });
  expect(r.code).toBe(1);
  expectOneLine(
    r.stderr,
    new RegExp(`^DATABASE_URL: cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port}`),
  );
});

it('a port already in use: one line naming PORT, exit 1, and the admin key is made on the next start', async () => {
  const taken: Server = createServer();
  const port = await new Promise<number>((resolve) =>
    taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)),
  );
  const env = { DATABASE_URL: `file:${join(tempDir(), 'm.db')}` };
  try {
    const r = await runToExit({ ...env, PORT: String(port) });
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, new RegExp(`^PORT: 127\\.0\\.0\\.1:${port} is already in use; .*set PORT`));
    expect(r.stdout).not.toContain('Admin API key');
  } finally {
    taken.close();
  }
  const free = await freePort();
  const gw = await startProcess(NODE_MAIN, env, free);
  try {
    const output = await poll(
      async () => gw.output(),
      (o) => o.includes('Dashboard: '),
    );
    expect(output).toMatch(/^Admin API key: mk_live_/m);
  } finally {
    process.kill(-gw.child.pid!, 'SIGTERM');
    await gw.exited;
  }
});

it('a MIFUMO_ADMIN_KEY not of the gateway’s form: one line naming it, exit 1', async () => {
  const r = await runToExit({
    DATABASE_URL: `file:${join(tempDir(), 'm.db')}`,
    PORT: String(await freePort()),
    MIFUMO_ADMIN_KEY: 'a',
  });
  expect(r.code).toBe(1);
  expectOneLine(r.stderr, /^MIFUMO_ADMIN_KEY must be `mk_`, a lower-case label and `_`/);
});

import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const EMBEDDING = readFileSync(new URL('../../../docs/embedding.md', import.meta.url), 'utf8');
const ROOT = join(import.meta.dirname, '../../..');

it('is the embedding example the README and the embedding page show, whole: server.ts and shop.ts', () => {
  const server = readFileSync(new URL('./server.ts', import.meta.url), 'utf8');
  expect(README).toContain(`\`\`\`ts\n${server}\`\`\``);
  const shop = readFileSync(new URL('./shop.ts', import.meta.url), 'utf8');
  expect(EMBEDDING).toContain(`\`\`\`ts\n${shop}\`\`\``);
});

it('answers the README’s two curl commands when started as the README says', async () => {
  const section = README.slice(README.indexOf('Run it with `npm start -w @mifumo/example-embed-hono`'));
  const curls = /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split('\n');
  expect(curls).toHaveLength(2);
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
  const child = spawn('npm', ['start', '-w', '@mifumo/example-embed-hono'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PORT: String(port) },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  try {
    for (let i = 0; !/API key: (\S+)/.test(log); i++) {
      if (i > 300 || child.exitCode !== null) throw new Error(`the shop did not start:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const key = /API key: (\S+)/.exec(log)![1]!;
    const answers = [];
    for (const curl of curls) {
      const { stdout } = await promisify(execFile)('bash', ['-c', curl.replaceAll(':3000/', `:${port}/`)], {
        env: { ...process.env, KEY: key },
      });
      answers.push(JSON.parse(stdout));
    }
    expect(answers[0]).toMatchObject({ success: true, data: { balance: 1000, currency: 'TZS' } });
    expect(answers[1]).toMatchObject({ order: '42', sms: expect.stringMatching(/^msg_/), cost: 10 });
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
  }
}, 60_000);

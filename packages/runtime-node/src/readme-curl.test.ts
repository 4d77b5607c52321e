import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { configSchema } from '@mifumo/core';
import { expect, it } from 'vitest';
import { startGateway } from './gateway';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const ADMIN = 'mk_test_readme_curl_0123456789abcdef';

/** The README's walkthrough ("Calling the API"), as separate commands: continuation lines joined, comments dropped. */
function walkthrough(): string[] {
  const section = README.slice(README.indexOf('## Calling the API'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const commands: string[] = [];
  let current = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const text = line.replace(/\s+#.*$/, '');
    current += `${text.replace(/\\$/, '')} `;
    if (!text.endsWith('\\')) {
      commands.push(current.trim());
      current = '';
    }
  }
  return commands;
}

it('runs the README’s curl walkthrough as written against a gateway, each placeholder id an earlier command’s: every command succeeds', async () => {
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-readme-')), 'r.db')}`,
      adminKey: ADMIN,
      initialBalance: 5000,
      config: configSchema.parse({}),
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    { logger: { error: () => {} } },
  );
  try {
    const commands = walkthrough();
    const [key, api, ...curls] = commands;
    expect(key).toMatch(/^KEY=/);
    expect(api).toBe('API=http://127.0.0.1:8001/api/integration');
    expect(curls.length).toBeGreaterThanOrEqual(15);
    const env = `KEY=${ADMIN}\nAPI=${gw.url}/api/integration\n`;
    // Ids written as `msg_…` stand for the reader's own: each is the one an earlier command made.
    const ids: Record<string, string> = {};
    for (const written of curls) {
      expect(written).toMatch(/^curl /);
      const command = written.replace(
        /\b(msg|seg|key)_…/g,
        (placeholder, kind: string) => ids[kind] ?? placeholder,
      );
      const { stdout } = await promisify(execFile)('bash', ['-c', env + command]);
      const reply = JSON.parse(stdout);
      expect(Object.keys(reply).sort(), command).toEqual([
        'data',
        'details',
        'error_code',
        'message',
        'success',
      ]);
      expect(reply.success, `${command}\n${stdout}`).toBe(true);
      const made = reply.data?.message_id ?? reply.data?.id;
      if (typeof made === 'string') ids[made.slice(0, made.indexOf('_'))] ??= made;
    }
    expect(Object.keys(ids)).toEqual(expect.arrayContaining(['key', 'msg', 'seg']));
  } finally {
    await gw.close();
  }
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from './run';

const CONFIGURATION = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');

/**
 * The CLI lines of the configuration page's `mifumo` CLI block, as argument lists: `npm run mifumo --` and comments
 * dropped, quotes read as a shell would, `[optional parts]` kept, and each `a|b|c` choice made a line of
 * its own.
 */
function documentedCommands(): string[][] {
  const section = CONFIGURATION.slice(CONFIGURATION.indexOf('## The `mifumo` CLI'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block
    .split('\n')
    .filter((l) => l.startsWith('npm run mifumo -- '))
    .map((l) =>
      l
        .slice('npm run mifumo -- '.length)
        .replace(/\s+#.*$/, '')
        .replace(/\[([^\]]*)\]/g, '$1'),
    );
  return lines.flatMap((line) => {
    const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    const choice = words.findIndex((w) => /^[a-z]+(\|[a-z]+)+$/.test(w));
    if (choice === -1) return [words];
    return words[choice]!.split('|').map((option) => words.with(choice, option));
  });
}

it('runs every command of the configuration page’s CLI block as written, each succeeding', async () => {
  const env = {
    DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-readme-cli-')), 'cli.db')}`,
    MIFUMO_SECRET: 'ab'.repeat(32),
  };
  const ids: Record<string, string> = {};
  const run = async (argv: string[], stop?: Promise<void>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env, out: (l) => out.push(l), err: (l) => err.push(l) }, stop);
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const commands = documentedCommands();
  expect(commands.length).toBeGreaterThanOrEqual(15);
  for (const written of commands) {
    // The simulator is stopped once it listens; port 0 instead of 2775, so no test can collide on it.
    if (written[0] === 'smsc-sim') {
      let stop = () => {};
      const stopped = new Promise<void>((r) => {
        stop = r;
      });
      const out: string[] = [];
      const running = runCli(
        written.map((w) => (w === '2775' ? '0' : w)),
        { env, out: (l) => out.push(l), err: (l) => out.push(l) },
        stopped,
      );
      for (let i = 0; i < 200 && !out.some((l) => l.includes('listening')); i++)
        await new Promise((r) => setTimeout(r, 10));
      stop();
      expect(await running, written.join(' ')).toBe(0);
      continue;
    }
    if (written.includes('<key_id>')) {
      const keys = JSON.parse((await run(['keys', 'list', '--account', ids.account!, '--json'])).out);
      ids.key = keys.find((k: { name: string }) => k.name === 'shop').id;
    }
    const argv = written.map((w) =>
      w === '<account_id>' ? ids.account! : w === '<key_id>' ? ids.key! : w === '<amount>' ? '100' : w,
    );
    const r = await run(argv);
    expect(r.code, `${written.join(' ')}\n${r.err}`).toBe(0);
    if (written[0] === 'accounts' && written[1] === 'create') ids.account = JSON.parse(r.out).id;
  }
  expect(ids.account).toMatch(/^acc_/);
  expect(ids.key).toMatch(/^key_/);
});

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = ['core', 'adapters', 'runtime-node', 'runtime-workers'];
const version = (pkg: string) =>
  (JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

it('packs every @mifumo/* package as built ESM with declarations, and a fresh project runs Mifumo from the tarballs', async () => {
  // The tarballs hold dist/ as `npm test` (or `npm install`) last built it, plus the declarations each
  // package's `prepack` bundles from what `tsc -b` emitted.
  const out = mkdtempSync(join(tmpdir(), 'mifumo-packed-'));
  const tarballs: Record<string, string> = {};
  for (const name of PACKAGES) {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], {
      cwd: join(ROOT, 'packages', name),
    });
    const [packed] = JSON.parse(stdout) as { name: string; filename: string; files: { path: string }[] }[];
    const files = packed!.files.map((f) => f.path);
    // JavaScript and declarations only: no TypeScript source, no test.
    expect(
      files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
      name,
    ).toEqual([]);
    expect(files, name).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts']));
    tarballs[packed!.name] = join(out, packed!.filename);
  }

  // The README packs these same packages and installs the tarballs npm pack names.
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const steps = /```sh\n(git clone[\s\S]*?)```/.exec(readme)![1]!;
  const packLine = steps.split('\n').find((l) => l.startsWith('npm pack '))!;
  expect([...packLine.matchAll(/-w packages\/(\S+)/g)].map((m) => m[1])).toEqual(PACKAGES);
  const installed = [...steps.matchAll(/[\w.-]+\.tgz/g)].map((m) => m[0]);
  expect(installed.length).toBeGreaterThanOrEqual(3);
  const filenames = Object.values(tarballs).map((file) => file.slice(out.length + 1));
  expect(filenames).toEqual(expect.arrayContaining(installed));

  // A project outside the workspace that depends on the tarballs (and hono), as a user's would.
  const project = join(out, 'shop');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'shop',
      private: true,
      type: 'module',
      dependencies: {
        ...Object.fromEntries(Object.entries(tarballs).map(([n, file]) => [n, `file:${file}`])),
        hono: `^${version('hono')}`,
      },
      // The same better-sqlite3 as the workspace, whose compiled addon is copied in below.
      overrides: { 'better-sqlite3': version('better-sqlite3') },
    }),
  );
  // Install scripts are skipped: better-sqlite3 would compile from source (no prebuilt download here);
  // its addon is the one `npm ci` already compiled for this very version.
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: project,
  });
  const addon = 'node_modules/better-sqlite3/build/Release';
  mkdirSync(join(project, addon), { recursive: true });
  copyFileSync(join(ROOT, addon, 'better_sqlite3.node'), join(project, addon, 'better_sqlite3.node'));

  copyFileSync(join(import.meta.dirname, 'packed/app.mjs'), join(project, 'app.mjs'));
  const { stdout } = await run('node', ['app.mjs', join(project, 'shop.db')], { cwd: project });
  expect(JSON.parse(stdout)).toEqual({
    home: 'Duka',
    sent: 200,
    status: 'delivered',
    documentation: 200,
    dashboard: '/sms/dashboard/sign-in',
  });

  // The embedding page's typed-client snippet type-checks against the published declarations, and a
  // misspelled field is an error there.
  const embedding = readFileSync(join(ROOT, 'docs/embedding.md'), 'utf8');
  const snippet = /```ts\n(import \{ hc \} from 'hono\/client';[\s\S]*?)```/.exec(embedding)![1]!;
  writeFileSync(
    join(project, 'typed.ts'),
    `declare const key: string;\n${snippet}\n${readFileSync(join(import.meta.dirname, 'packed/misspelled.ts'), 'utf8')}`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        lib: ['ES2023', 'DOM'],
        types: [],
      },
      files: ['typed.ts'],
    }),
  );
  await run('node', [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project]);

  // The CLI and the Workers runtime load from the build too.
  const cli = await run(join(project, 'node_modules/.bin/mifumo'), ['accounts', 'list'], {
    cwd: project,
    env: { ...process.env, DATABASE_URL: `file:${join(project, 'shop.db')}` },
  });
  expect(cli.stdout).toContain('Duka');
  const workers = await run(
    'node',
    ['-e', "import('@mifumo/runtime-workers').then((m) => console.log(typeof m.createWorker))"],
    {
      cwd: project,
    },
  );
  expect(workers.stdout.trim()).toBe('function');
}, 300_000);

import { readFileSync } from 'node:fs';

/** The condition under which the workspace (tsc, vitest, tsx scripts) reads a package's TypeScript sources. */
export const SOURCE_CONDITION = '@mifumo/source';

type Exports = Record<string, { [SOURCE_CONDITION]: string; types: string; default: string }>;

/**
 * The entries a package's `exports` name, read from its package.json: each built file's name in `dist/`
 * without extension (`fake/index` for `./dist/fake/index.js`) → its TypeScript source (`./src/fake/index.ts`).
 */
export function exportedEntries(packageDir: URL): Record<string, string> {
  const pkg = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as { exports: Exports };
  const entries: Record<string, string> = {};
  for (const target of Object.values(pkg.exports))
    entries[target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = target[SOURCE_CONDITION];
  return entries;
}

import { readFileSync } from 'node:fs';
import type { Options } from 'tsup';

/** The condition under which the workspace (tsc, vitest, tsx scripts) reads a package's TypeScript sources. */
export const SOURCE_CONDITION = '@mifumo/source';

type Exports = Record<string, { [SOURCE_CONDITION]: string; types: string; default: string }>;

/**
 * The tsup build of one `@mifumo/*` package: every entry its `exports` name, as ESM with bundled type
 * declarations in `dist/` (plus `scripts`: the bins' entries, JavaScript only), dependencies left as
 * imports. Entries are read from package.json, so an export added there is built without touching this.
 */
export function packageBuild(
  packageDir: URL,
  options: { platform: 'node' | 'neutral'; scripts?: Record<string, string> },
): Options {
  const pkg = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8')) as { exports: Exports };
  const exported: Record<string, string> = {};
  for (const target of Object.values(pkg.exports))
    exported[target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = target[SOURCE_CONDITION];
  return {
    entry: { ...exported, ...options.scripts },
    dts: { entry: exported },
    format: ['esm'],
    platform: options.platform,
    target: 'node20',
    outDir: 'dist',
    clean: true,
    splitting: true,
    sourcemap: true,
  };
}

import type { Options } from 'tsup';
import { exportedEntries } from './package-exports';

/**
 * The tsup build of one `@mifumo/*` package: every entry its `exports` name (plus `scripts`: the bins'
 * entries) as ESM JavaScript in `dist/`, dependencies left as imports. Entries are read from package.json,
 * so an export added there is built without touching this. JavaScript only, so that `npm install` and
 * `npm start` build in seconds: the type declarations come from `tsc -b` and are bundled into `dist/` when
 * the package is packed (build/declarations.ts, the packages' `prepack`).
 */
export function packageBuild(
  packageDir: URL,
  options: { platform: 'node' | 'neutral'; scripts?: Record<string, string> },
): Options {
  return {
    entry: { ...exportedEntries(packageDir), ...options.scripts },
    format: ['esm'],
    platform: options.platform,
    target: 'node20',
    outDir: 'dist',
    clean: true,
    splitting: true,
    sourcemap: true,
  };
}

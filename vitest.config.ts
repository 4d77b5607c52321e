import { defineConfig } from 'vitest/config';

// CI sets MIFUMO_TEST_REPORT to a path: vitest's JSON results go there for the `N passed, N failed` line.
const report = process.env.MIFUMO_TEST_REPORT;

// Tests read the @mifumo/* packages' TypeScript sources (their `@mifumo/source` export condition), never a
// stale build; the examples' own processes, the gateway's work thread and the packed-packages test use the
// built dist/, which the first global setup brings up to date.
// The rest are Vite's default server conditions, which a `conditions` list replaces.
const conditions = ['@mifumo/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/**/*.test.ts', 'examples/**/*.test.ts', 'build/**/*.test.ts'],
    globalSetup: ['build/build-first.ts', 'packages/core/test/postgres-template.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Many tests wait on I/O (PostgreSQL, child processes, workerd, Chromium) rather than compute, so a
    // 2-core machine runs more files at once than it has cores. Files share their worker's modules
    // (no per-file isolation): none keeps state between files, and importing the sources once per
    // worker instead of once per file saves about a minute of the run.
    pool: 'forks',
    maxWorkers: 3,
    isolate: false,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});

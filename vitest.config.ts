import { defineConfig } from 'vitest/config';

// CI sets MIFUMO_TEST_REPORT to a path: vitest's JSON results go there for the `N passed, N failed` line.
const report = process.env.MIFUMO_TEST_REPORT;

export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
  },
});

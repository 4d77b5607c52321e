/** Options that load or resolve modules: the work thread runs the build with Node's own resolution. */
const MODULE_OPTIONS = new Set([
  '--conditions',
  '-C',
  '--import',
  '--require',
  '-r',
  '--loader',
  '--experimental-loader',
]);

/**
 * V8's options that a worker's `execArgv` refuses (ERR_WORKER_INVALID_EXEC_ARGV, so the gateway would not
 * start): they are the process's, and already hold for every thread's heap (`npm start` gives
 * --max-semi-space-size; docs/operations.md#memory).
 */
const V8_PROCESS_OPTIONS =
  /^--(max-semi-space-size|min-semi-space-size|max-old-space-size|max-heap-size|initial-heap-size|initial-old-space-size|heap-growing-percent|expose-gc|optimize-for-size|stack-size)$/;

/**
 * This process's Node options for a worker thread that runs built JavaScript: all but those that load or
 * resolve modules (a test runner's source condition, a TypeScript loader) and V8's process-wide ones, so
 * `--cpu-prof`, `--heapsnapshot-signal` or `--inspect` reach the thread as they reach this one.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (MODULE_OPTIONS.has(name)) {
      if (!arg.includes('=')) i++; // its value is the next argument
    } else if (!V8_PROCESS_OPTIONS.test(name.replaceAll('_', '-'))) kept.push(arg);
  }
  return kept;
}

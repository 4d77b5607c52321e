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
 * This process's Node options for a worker thread that runs built JavaScript: all but those that load or
 * resolve modules (a test runner's source condition, a TypeScript loader), so `--cpu-prof`,
 * `--heapsnapshot-signal` or `--inspect` reach the thread as they reach this one.
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = arg.split('=')[0]!;
    if (!MODULE_OPTIONS.has(name)) kept.push(arg);
    else if (!arg.includes('=')) i++; // its value is the next argument
  }
  return kept;
}

import { setFlagsFromString } from 'node:v8';

/**
 * Bounds how far V8 lets the old generation grow past what survived the last full collection before it
 * collects again (default: a factor of up to 4 when it can, which under 50 connections of sends let
 * ~30 MB of live objects take ~130 MB). Full collections mark concurrently, so they are cheap at this
 * size. Read by V8 at each collection, so setting it here works however the process was started; a
 * value given on the command line or in NODE_OPTIONS wins. The young generation can only be sized on
 * the command line (`npm start` passes --max-semi-space-size; docs/operations.md).
 */
const HEAP_GROWING_PERCENT = 30;

/** `npm start` calls it first; a process that runs `startGateway` itself may too (the benchmarks do). */
export function limitHeapGrowth() {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) =>
    a.includes('--heap-growing-percent'),
  );
  if (!given) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

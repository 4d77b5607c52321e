// Preloaded (`--import`) into the gateway by bench/memory.ts: answers its parent's questions over the
// IPC channel with the heap (after a full collection, unless asked with `gc: false`) and the time spent collecting garbage so far, having written a heap snapshot to
// `snapshot` when asked to.
import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';

// gc() without --expose-gc on the command line, which would also reach the gateway's work thread.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

process.on('message', (ask) => {
  const collected = gcMs; // before the collection asked for here
  if (ask.snapshot) writeHeapSnapshot(ask.snapshot);
  if (ask.gc !== false) gc();
  const { heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const spaces = Object.fromEntries(
    getHeapSpaceStatistics().map((s) => [s.space_name, Math.round(s.physical_space_size / 1024)]),
  );
  process.send({ id: ask.id, heapUsed, heapTotal, external, arrayBuffers, spaces, gcMs: collected });
});
// The channel must not keep the gateway alive once it closes on SIGTERM.
process.channel?.unref();

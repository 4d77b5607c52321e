// CPU time spent by the processes a benchmark measures, read from /proc (Linux): on a machine shared
// with other work, CPU per request moves less with the load than requests per second do.
import { readdirSync, readFileSync } from 'node:fs';
import { cpuMs } from './processes';

/** User + system CPU seconds of process `pid` (all its threads) so far; 0 once it is gone. */
export function processCpu(pid: number): number {
  try {
    return cpuMs(pid) / 1000;
  } catch {
    return 0;
  }
}

/** The PostgreSQL server processes serving connections to `database` now (their titles name it). */
function backendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * CPU seconds from now on of the processes `pids` and of the PostgreSQL server processes serving
 * `database` (those that exist at either end of the measurement; one that opened and closed in between
 * is missed).
 */
export function cpuMeter(pids: readonly number[], database?: string) {
  const backendsAt = () => new Map((database ? backendsOf(database) : []).map((p) => [p, processCpu(p)]));
  const ownAt = () => pids.reduce((s, p) => s + processCpu(p), 0);
  const ownStart = ownAt();
  const backendsStart = backendsAt();
  return () => {
    const backendsEnd = backendsAt();
    let server = 0;
    for (const [pid, cpu] of backendsEnd) server += cpu - (backendsStart.get(pid) ?? 0);
    return { own: ownAt() - ownStart, database: server };
  };
}

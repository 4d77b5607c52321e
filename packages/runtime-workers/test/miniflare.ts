import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

let bundled: Promise<string> | null = null;

/** The test Worker bundled as wrangler bundles it (ES modules, Workers' export conditions), once per run. */
function bundle(): Promise<string> {
  bundled ??= (async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mifumo-worker-')), 'worker.js');
    await build({
      entryPoints: [join(import.meta.dirname, 'worker-entry.ts')],
      outfile: out,
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@mifumo/source', 'workerd', 'worker', 'browser'],
      target: 'es2022',
      logLevel: 'error',
    });
    return readFileSync(out, 'utf8');
  })();
  return bundled;
}

export const ADMIN_KEY = 'mk_live_workersadmin0123456789abcdef0123456789ab';

/**
 * A Worker in workerd (Miniflare) with a fresh local D1 database, bootstrapped with ADMIN_KEY; with
 * `isolates`, that many copies of it (Workers of their own, each its own isolate) on the one database,
 * reached with `isolate(i)`.
 */
export async function startWorker(
  options: {
    vars?: Record<string, string>;
    queue?: boolean;
    config?: unknown;
    isolates?: number;
    /** Also serve it over HTTP on a free loopback port (`url`), for a browser. */
    listen?: boolean;
  } = {},
) {
  const script = await bundle();
  const worker = (name: string) => ({
    name,
    modules: true,
    script,
    compatibilityDate: '2026-04-01',
    d1Databases: { DB: 'mifumo' },
    bindings: {
      MIFUMO_ADMIN_KEY: ADMIN_KEY,
      MIFUMO_SECRET: 'ab'.repeat(32),
      ...(options.config === undefined ? {} : { MIFUMO_CONFIG: JSON.stringify(options.config) }),
      ...options.vars,
    },
    ...(options.queue
      ? {
          queueProducers: { MIFUMO_QUEUE: 'dispatch' },
          queueConsumers: { dispatch: { maxBatchTimeout: 0.05 } },
        }
      : {}),
  });
  const names = Array.from({ length: options.isolates ?? 1 }, (_, i) => `gateway-${i}`);
  const mf = new Miniflare({
    d1Persist: false,
    workers: names.map(worker),
    ...(options.listen ? { host: '127.0.0.1', port: 0 } : {}),
  });
  const url = await mf.ready;
  const base = 'http://gateway.test/api/integration';
  async function call(
    method: string,
    path: string,
    init: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    const key = init.key === undefined ? ADMIN_KEY : init.key;
    if (key !== null) headers.Authorization = `Bearer ${key}`;
    const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
    if (body !== undefined) headers['Content-Type'] ??= 'application/json';
    const res = await mf.dispatchFetch(base + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    const json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : null;
    return { status: res.status, json, text, headers: res.headers };
  }
  return {
    mf,
    /** Where it listens, with `listen` (e.g. `http://127.0.0.1:41234/`). */
    url,
    call,
    /** Moves the Worker's clock `ms` forward. */
    async advanceClock(ms: number) {
      await mf.dispatchFetch(`http://clock.test/advance?ms=${ms}`);
    },
    /** Runs the cron trigger once, as Cloudflare would. */
    async cron() {
      const worker = await mf.getWorker();
      return worker.scheduled({ cron: '* * * * *' });
    },
    /** The `i`th isolate, to send requests to. */
    isolate: (i: number) => mf.getWorker(names[i]),
    d1: () => mf.getD1Database('DB'),
    close: () => mf.dispose(),
  };
}

export type TestWorker = Awaited<ReturnType<typeof startWorker>>;

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The worker's source: its own connection to the same file, checkpointing the WAL into the database
 * every `intervalMs`. PASSIVE never waits for (nor blocks) the writer or readers, so the gateway's
 * commits no longer stop now and then to copy the WAL back and flush it to disk in the event loop.
 */
const SOURCE = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage(String(e && e.message || e));
  }
}, workerData.intervalMs);
`;

/** A worker thread that checkpoints the SQLite file at `path`; stop it before closing the database. */
export function startWalCheckpointer(
  path: string,
  options: { intervalMs?: number; onError: (message: string) => void; onExit: () => void },
) {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      path,
      intervalMs: options.intervalMs ?? 200,
    },
  });
  worker.unref();
  let stopping = false;
  worker.on('message', (m: string) => options.onError(m));
  worker.on('error', (e) => options.onError(e.message));
  worker.on('exit', () => {
    if (!stopping) options.onExit();
  });
  return {
    async stop() {
      stopping = true;
      await worker.terminate();
    },
  };
}

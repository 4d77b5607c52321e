// The work thread's entry (built to dist/work-thread.js): its own database connection, the carriers bound
// and the dispatch and webhook loops, apart from the API's event loop.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { Logger } from '@mifumo/core';
import { openDatabase } from './database';
import { nodeMifumo } from './node-mifumo';
import { runWork, type Work } from './work';
import type { FromWorkThread, ToWorkThread, WorkThreadInit } from './work-messages';

const port = parentPort as MessagePort;
const init = workerData as WorkThreadInit;
const post = (m: FromWorkThread) => port.postMessage(m);

/** `x`, or its text when it cannot cross to another thread (a function, a socket). */
function cloneable(x: unknown) {
  try {
    structuredClone(x);
    return x;
  } catch {
    return String(x);
  }
}

/** Log lines go to the gateway's logger, on the main thread. */
const logger: Logger = {
  error: (message, detail, fields) =>
    post({ kind: 'log', level: 'error', message, detail: cloneable(detail), fields }),
  warn: (message, detail, fields) =>
    post({ kind: 'log', level: 'warn', message, detail: cloneable(detail), fields }),
};

async function start() {
  const database = openDatabase(init.databaseUrl, {
    checkpoints: 'timer',
    onError: (what, e) => logger.error(what, e),
  });
  let work: Work | null = null;
  try {
    const mifumo = nodeMifumo(database, init.settings, { logger, onQueued: () => work?.kick() });
    work = await runWork(mifumo, init.timing, logger);
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
  return { database, work };
}

try {
  const { database, work } = await start();
  let reported = '';
  let reporting = false;
  const reporter = setInterval(() => {
    if (reporting) return;
    reporting = true;
    work
      .carriers()
      .then((carriers) => {
        const text = JSON.stringify(carriers);
        if (text === reported) return;
        reported = text;
        post({ kind: 'carriers', carriers });
      })
      .catch((e) => logger.error('reading the carriers’ state failed', e))
      .finally(() => {
        reporting = false;
      });
  }, init.reportIntervalMs);

  port.on('message', (m: ToWorkThread) => {
    if (m.kind === 'kick') work.kick();
    else if (m.kind === 'call')
      (m.method === 'dispatchDue' ? work.dispatchDue() : work.settled()).then(
        (value) => post({ kind: 'answer', id: m.id, value }),
        (error) => post({ kind: 'answer', id: m.id, error: cloneable(error) }),
      );
    else if (m.kind === 'stop') {
      clearInterval(reporter);
      work
        .stop()
        .finally(() => database.close())
        // Ends this thread only, whatever keep-alive sockets or timers are left.
        .finally(() => process.exit(0));
    }
  });
  post({ kind: 'ready', carriers: await work.carriers() });
} catch (error) {
  post({ kind: 'failed', error: cloneable(error) });
  process.exit(1);
}

import { Worker } from 'node:worker_threads';
import type { CarrierView, Logger } from '@mifumo/core';
import type { Work } from './work';
import { onceATurn } from './work-loop';
import type { FromWorkThread, ToWorkThread, WorkThreadInit } from './work-messages';
import { workerExecArgv } from './worker-exec-argv';

/** How long a stop waits for the thread to finish its dispatch and unbind before ending it. */
const STOP_GRACE_MS = 15_000;

/**
 * The built entry: from the package's sources (tests) the build beside them, which `npm test` and the
 * tests' global setup make first; a thread cannot load TypeScript without a loader costing seconds.
 */
const ENTRY = new URL(
  import.meta.url.endsWith('.ts') ? '../dist/work-thread.js' : './work-thread.js',
  import.meta.url,
);

/**
 * Runs the gateway's work on a thread of its own (its own database connection), so that a loaded API
 * does not hold back submits, receipts and webhooks, and a burst of submits does not hold back the API.
 * Resolves once its carriers are started. An error the thread does not handle is thrown in this one,
 * as it would be were the work in this thread (the outbox is durable: the next start goes on).
 */
export function startWorkThread(init: WorkThreadInit, log: Logger): Promise<Work> {
  const worker = new Worker(ENTRY, { workerData: init, execArgv: workerExecArgv(process.execArgv) });
  const send = (m: ToWorkThread) => worker.postMessage(m);
  let snapshot: CarrierView[] = [];
  let ready = false;
  let stopping = false;
  let calls = 0;
  const answers = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();

  function call<T>(method: 'dispatchDue' | 'settled') {
    return new Promise<T>((resolve, reject) => {
      const id = ++calls;
      answers.set(id, { resolve: resolve as (v: unknown) => void, reject });
      send({ kind: 'call', id, method });
    });
  }

  const work: Work = {
    kick: onceATurn(() => send({ kind: 'kick' })),
    dispatchDue: () => call<number>('dispatchDue'),
    settled: () => call<void>('settled'),
    carriers: async () => snapshot,
    async stop() {
      stopping = true;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      const grace = setTimeout(() => worker.terminate(), STOP_GRACE_MS);
      send({ kind: 'stop' });
      await exited;
      clearTimeout(grace);
    },
  };

  return new Promise((resolve, reject) => {
    const failed = (e: unknown) => {
      if (ready) throw e;
      stopping = true;
      void worker.terminate();
      reject(e);
    };
    worker.on('message', (m: FromWorkThread) => {
      if (m.kind === 'ready' || m.kind === 'carriers') snapshot = m.carriers;
      if (m.kind === 'ready') {
        ready = true;
        resolve(work);
      } else if (m.kind === 'failed') failed(m.error);
      else if (m.kind === 'log' && m.level === 'warn' && log.warn) log.warn(m.message, m.detail, m.fields);
      else if (m.kind === 'log') log.error(m.message, m.detail, m.fields);
      else if (m.kind === 'answer') {
        const pending = answers.get(m.id);
        answers.delete(m.id);
        if (m.error !== undefined) pending?.reject(m.error);
        else pending?.resolve(m.value);
      }
    });
    worker.on('error', failed);
    worker.on('exit', (code) => {
      for (const pending of answers.values()) pending.reject(new Error('the work thread stopped'));
      answers.clear();
      if (!stopping) failed(new Error(`the gateway's work thread exited (${code})`));
    });
  });
}

export { WORKER_CARRIERS, workerCarriers } from './carriers';
export { d1Driver } from './d1';
export { type DispatchJob, WorkerConfigError, type WorkerEnv } from './env';
export { createWorker, type WorkerOptions } from './worker';

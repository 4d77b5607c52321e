import type { CarrierView, LogFields } from '@mifumo/core';
import type { NodeMifumoSettings } from './node-mifumo';
import type { WorkTiming } from './work';

/** What the work thread is started with (`workerData`). */
export interface WorkThreadInit {
  databaseUrl: string;
  settings: NodeMifumoSettings;
  timing: WorkTiming;
  /** How often the thread reports its carriers' state when it changed. */
  reportIntervalMs: number;
}

export type ToWorkThread =
  | { kind: 'kick' }
  | { kind: 'call'; id: number; method: 'dispatchDue' | 'settled' }
  | { kind: 'stop' };

export type FromWorkThread =
  | { kind: 'ready'; carriers: CarrierView[] }
  | { kind: 'failed'; error: unknown }
  | { kind: 'carriers'; carriers: CarrierView[] }
  | { kind: 'log'; level: 'error' | 'warn'; message: string; detail?: unknown; fields?: LogFields }
  | { kind: 'answer'; id: number; value?: unknown; error?: unknown };

import type { CarrierView, Logger, Mifumo } from '@mifumo/core';
import { startWorkLoop } from './work-loop';

/**
 * The gateway's background work: its carriers bound, due messages submitted, receipts applied,
 * webhooks delivered. It runs on a thread of its own (`startWorkThread`) or in the API's (`runWork`).
 */
export interface Work {
  /** A send is due now: dispatch at once rather than at the next interval. */
  kick(): void;
  /** Submits what is due now; resolves with how many recipients were taken. */
  dispatchDue(): Promise<number>;
  /** Resolves when the carriers' background work (receipts they report later) is done. */
  settled(): Promise<void>;
  /** Each carrier's state, submits in flight and in the last minute, and last error. */
  carriers(): Promise<CarrierView[]>;
  /** Lets the current dispatch finish, then stops the loops and the carriers. */
  stop(): Promise<void>;
}

export interface WorkTiming {
  /** How often due messages (scheduled, retries, expired claims) are looked for without a kick. */
  dispatchIntervalMs: number;
  /** How often the webhook outbox is looked at. */
  webhookIntervalMs: number;
  /** How often retention prunes (old bodies, events, sessions); a minute by default. */
  retentionIntervalMs?: number;
}

/** Starts `mifumo`'s carriers and runs its dispatch and webhook loops in this thread. */
export async function runWork(mifumo: Mifumo, timing: WorkTiming, log: Logger): Promise<Work> {
  await mifumo.start();
  const dispatch = startWorkLoop(() => mifumo.dispatchDue(), {
    intervalMs: timing.dispatchIntervalMs,
    onError: (e) => log.error('dispatch failed', e),
  });
  const webhooks = startWorkLoop(() => mifumo.deliverWebhooksDue(), {
    intervalMs: timing.webhookIntervalMs,
    onError: (e) => log.error('webhook delivery failed', e),
  });
  const retention = startWorkLoop(() => mifumo.pruneRetention(), {
    intervalMs: timing.retentionIntervalMs ?? 60_000,
    onError: (e) => log.error('retention pruning failed', e),
  });
  return {
    kick: dispatch.kick,
    dispatchDue: () => mifumo.dispatchDue(),
    settled: () => mifumo.settled(),
    carriers: mifumo.carriers,
    async stop() {
      await dispatch.stop();
      await webhooks.stop();
      await retention.stop();
      await mifumo.close();
    },
  };
}

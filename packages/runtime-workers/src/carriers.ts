import { buildCarriers, CarrierConfigError, type CarrierDefinition } from '@mifumo/adapters';
import { fakeCarrier } from '@mifumo/adapters/fake';
import { africasTalkingCarrier, beemCarrier, genericHttpCarrier } from '@mifumo/adapters/http';
import type { CarrierAdapter, MifumoConfig } from '@mifumo/core';
import { WorkerConfigError } from './env';

/** The carrier types a Worker runs: everything that speaks HTTP, and the fake. */
export const WORKER_CARRIERS: readonly CarrierDefinition[] = [
  fakeCarrier,
  beemCarrier,
  africasTalkingCarrier,
  genericHttpCarrier,
];

/** Types that need what a Worker does not have (SMPP needs long-lived TCP sockets). */
const NODE_ONLY: Record<string, string> = {
  smpp: 'SMPP needs long-lived TCP binds and runs only on the Node runtime',
};

/** Builds the configured carriers; a Node-only one (by type or by its capabilities) is refused by name. */
export function workerCarriers(
  config: MifumoConfig,
  definitions: readonly CarrierDefinition[],
): CarrierAdapter[] {
  const refused = config.carriers.flatMap((c, i) =>
    NODE_ONLY[c.type] ? [`carriers.${i}.type: ${c.type}: ${NODE_ONLY[c.type]}`] : [],
  );
  if (refused.length) throw new WorkerConfigError(refused.join('\n'));
  let carriers: CarrierAdapter[];
  try {
    carriers = buildCarriers(config.carriers, definitions);
  } catch (e) {
    if (e instanceof CarrierConfigError) throw new WorkerConfigError(e.message);
    throw e;
  }
  const nodeOnly = carriers.filter((c) => c.capabilities?.runtime === 'node');
  if (nodeOnly.length)
    throw new WorkerConfigError(
      nodeOnly.map((c) => `carrier ${c.id} (${c.type}) runs only on the Node runtime`).join('\n'),
    );
  return carriers;
}

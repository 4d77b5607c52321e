import { runCarrierConformance } from '../testing';
import { createFakeCarrier } from './fake';

runCarrierConformance('fake', async () => {
  const faults: ('retryable' | 'permanent' | 'hold')[] = [];
  return {
    adapter: createFakeCarrier({ deliveryDelayMs: 5, fault: () => faults.shift() ?? null }),
    refuseNext: (kind) => faults.push(kind),
    holdNext: () => faults.push('hold'),
    close: async () => {},
  };
});

import { expect, it } from 'vitest';
import { gatewayWithBusyAccount } from '../test/busy-account';

// Issue 21: no request of one account may hold the gateway. Long work goes in slices with the event loop
// turning between them, so another account's short request is answered between the slices. That is
// checked as an order of events, not a time: had A's work held the event loop for a request's whole
// length, B would be answered only between A's requests, once per request of A at most; between slices,
// B is answered many times during each (about ten times per request with 10,000 contacts, on an idle
// machine and on a loaded one alike). How long B waits is measured by `bench/budget.ts`.
it('answers another account’s balance reads between the slices of one account quoting, creating and preparing a 10,000-contact campaign and listing its messages by status', {
  timeout: 120_000,
}, async () => {
  const gateway = await gatewayWithBusyAccount(10_000);
  try {
    for (const [phase, work] of Object.entries(gateway.heavy)) {
      const { answeredDuringWork } = await gateway.whileBReads(work.run);
      expect(answeredDuringWork, phase).toBeGreaterThan(2 * work.requests);
    }
  } finally {
    await gateway.close();
  }
});

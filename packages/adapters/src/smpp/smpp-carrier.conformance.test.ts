import { runCarrierConformance } from '@mifumo/core/testing';
import { STATUS } from './pdu';
import { startSmsc } from './simulator';
import { createSmppCarrier } from './smpp-carrier';

runCarrierConformance('smpp', async () => {
  const smsc = await startSmsc({ receiptDelayMs: 5 });
  return {
    adapter: createSmppCarrier({
      id: 'smpp',
      host: '127.0.0.1',
      port: smsc.port,
      systemId: 'mifumo',
      password: 'secret',
      onError: () => {},
    }),
    refuseNext: (kind) =>
      smsc.inject({
        kind: 'error',
        status: kind === 'retryable' ? STATUS.ESME_RSYSERR : STATUS.ESME_RINVDSTADR,
      }),
    holdNext: () => smsc.inject({ kind: 'hold' }),
    close: smsc.close,
  };
});

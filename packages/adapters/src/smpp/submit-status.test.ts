import { expect, it } from 'vitest';
import { STATUS } from './pdu';
import { isThrottle, refusal } from './submit-status';

it('throttling is ESME_RTHROTTLED and ESME_RMSGQFUL only', () => {
  expect(isThrottle(STATUS.ESME_RTHROTTLED)).toBe(true);
  expect(isThrottle(STATUS.ESME_RMSGQFUL)).toBe(true);
  expect(isThrottle(STATUS.ESME_RSYSERR)).toBe(false);
  expect(isThrottle(STATUS.ESME_ROK)).toBe(false);
});

it('a refusal is retryable by its status, with the status in hex and by name; an acceptance without id is retryable', () => {
  expect(refusal(STATUS.ESME_RINVDSTADR)).toMatchObject({
    retryable: false,
    carrierCode: '0x0000000b',
    message: 'the SMSC refused the submit: ESME_RINVDSTADR (0x0000000b)',
  });
  expect(refusal(STATUS.ESME_RSYSERR)).toMatchObject({ retryable: true, carrierCode: '0x00000008' });
  expect(refusal(0x401)).toMatchObject({
    retryable: false,
    message: 'the SMSC refused the submit: 0x00000401',
  });
  expect(refusal(STATUS.ESME_ROK)).toMatchObject({ retryable: true, carrierCode: 'NO_MESSAGE_ID' });
});

import { CarrierError } from '@mifumo/core';
import { STATUS, statusName } from './pdu';

/** Statuses after which the same submit may pass later; the rest refuse the message for good. */
const RETRYABLE = new Set<number>([
  STATUS.ESME_RINVBNDSTS,
  STATUS.ESME_RSYSERR,
  STATUS.ESME_RMSGQFUL,
  STATUS.ESME_RSUBMITFAIL,
  STATUS.ESME_RTHROTTLED,
  STATUS.ESME_RX_T_APPN,
  STATUS.ESME_RUNKNOWNERR,
]);

/** The SMSC asks to slow down: the submit goes again after a pause, without failing. */
export const isThrottle = (status: number) =>
  status === STATUS.ESME_RTHROTTLED || status === STATUS.ESME_RMSGQFUL;

/** Why an answer that neither accepted the submit with a message_id nor throttled it fails it. */
export function refusal(status: number): CarrierError {
  if (status === STATUS.ESME_ROK)
    return new CarrierError('the SMSC accepted the submit without a message_id', {
      retryable: true,
      carrierCode: 'NO_MESSAGE_ID',
    });
  return new CarrierError(`the SMSC refused the submit: ${statusName(status)}`, {
    retryable: RETRYABLE.has(status),
    carrierCode: `0x${status.toString(16).padStart(8, '0')}`,
  });
}

/** The submit's signal gave up before an answer came. */
export const gaveUp = () =>
  new CarrierError('submit gave up: no answer in time', { retryable: true, carrierCode: 'TIMEOUT' });

/** The session stopped with the submit unanswered. */
export const stopped = () =>
  new CarrierError('SMPP session stopped', { retryable: true, carrierCode: 'STOPPED' });

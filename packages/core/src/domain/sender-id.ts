import { GatewayError } from '../errors';

const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9 .&_-]{0,10}$/;
const NUMERIC = /^\+?[0-9]{1,15}$/;

/** 3GPP TS 23.040 originator: alphanumeric up to 11 characters (with at least one letter) or up to 15 digits. */
export function isWellFormedSenderId(senderId: string): boolean {
  return ALPHANUMERIC.test(senderId) || NUMERIC.test(senderId);
}

/** INVALID_SENDER_ID unless the sender ID is well formed (refused whatever the account or its recipients). */
export function checkSenderIdForm(senderId: string): void {
  if (!isWellFormedSenderId(senderId))
    throw new GatewayError(
      'INVALID_SENDER_ID',
      `Sender ID ${JSON.stringify(senderId)} is malformed: 1-11 letters and digits (with a letter), or up to 15 digits`,
      { sender_id: senderId, approved: null, operator: null, recipients: null },
    );
}

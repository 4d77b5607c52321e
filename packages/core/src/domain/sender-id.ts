const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9][A-Za-z0-9 .&_-]{0,10}$/;
const NUMERIC = /^\+?[0-9]{1,15}$/;

/** 3GPP TS 23.040 originator: alphanumeric up to 11 characters (with at least one letter) or up to 15 digits. */
export function isWellFormedSenderId(senderId: string): boolean {
  return ALPHANUMERIC.test(senderId) || NUMERIC.test(senderId);
}

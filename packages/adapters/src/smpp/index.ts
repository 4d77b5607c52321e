export { smppCarrier } from './definition';
export {
  type ReceiptStat,
  type ReceivedSubmit,
  type Smsc,
  type SmscFault,
  type SmscOptions,
  startSmsc,
} from './simulator';
export { createSmppCarrier, type SmppOptions } from './smpp-carrier';

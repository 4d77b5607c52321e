export {
  type ApiReply,
  type ApiTarget,
  runApiSuite,
  SUITE_CALLBACK_TOKEN,
  SUITE_CONFIG,
  SUITE_OPERATOR_KEY,
} from './api-suite';
export { type CarrierUnderTest, runCarrierConformance } from './carrier-conformance';
export { outboundMessage } from './outbound-message';
export { freshPostgres } from './postgres';
export { runRateLimitStoreConformance } from './rate-limit-conformance';
export { recordingContext } from './recording-context';

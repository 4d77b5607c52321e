export {
  type AfricasTalkingOptions,
  africasTalkingCarrier,
  createAfricasTalkingCarrier,
} from './africastalking';
export { type BeemOptions, beemCarrier, createBeemCarrier } from './beem';
export { createGenericHttpCarrier, type GenericHttpOptions, genericHttpCarrier } from './generic';
export type { Fetch } from './request';

export { buildCarriers, CarrierConfigError } from './build/build-carriers';
export { type CarrierDefinition, defineCarrier } from './build/definition';

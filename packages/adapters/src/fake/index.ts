export { fakeCarrier } from './definition';
export { createFakeCarrier, type FakeCarrierOptions } from './fake-carrier';

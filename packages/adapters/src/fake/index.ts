export { createFakeCarrier, type FakeCarrierOptions } from './fake-carrier';

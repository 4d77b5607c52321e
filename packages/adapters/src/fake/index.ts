export { createFakeCarrier, type FakeCarrierOptions } from '@mifumo/core';
export { fakeCarrier } from './definition';

export { type AfricasTalkingServerOptions, startAfricasTalkingServer } from './africastalking-server';
export { aggregatorUnderTest, refusal } from './aggregator-under-test';
export { type BeemServerOptions, type PeerFault, startBeemServer } from './beem-server';
export { callbackReceiver, type LocalServer, serveLocal, until } from './http-server';

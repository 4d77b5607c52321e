export { type AfricasTalkingServerOptions, startAfricasTalkingServer } from './africastalking-server';
export { aggregatorUnderTest, refusal } from './aggregator-under-test';
export { type BeemServerOptions, startBeemServer } from './beem-server';
export { callbackReceiver, type LocalServer, type PeerFault, serveLocal, until } from './http-server';

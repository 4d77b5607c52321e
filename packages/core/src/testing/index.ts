export { runRateLimitStoreConformance } from './rate-limit-conformance';

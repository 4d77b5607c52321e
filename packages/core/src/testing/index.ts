export { freshPostgres } from './postgres';
export { runRateLimitStoreConformance } from './rate-limit-conformance';

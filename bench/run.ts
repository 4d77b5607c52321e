// `npm run bench`: every benchmark, each against a peer measured in the same run.
export {};

await import('./encoding');
await import('./send');
await import('./smpp');
await import('./webhooks');
await import('./import');
await import('./start');
await import('./bulk');

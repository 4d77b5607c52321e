// `npm run bench`: every benchmark, each against a peer measured in the same run;
// `npm run bench -- send import`: only those.
export {};

const ALL = [
  'encoding',
  'send',
  'fleet',
  'smpp',
  'webhooks',
  'import',
  'start',
  'bulk',
  'budget',
  'kannel',
  'memory',
];
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !ALL.includes(name));
if (unknown.length) throw new Error(`No benchmark ${unknown.join(', ')}; choose from ${ALL.join(', ')}`);
for (const name of chosen.length ? chosen : ALL) await import(`./${name}.ts`);

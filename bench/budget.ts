// Issue 21's request budget, in milliseconds: how long account B waits for its balance while account A
// quotes, creates and prepares a campaign to 100,000 contacts and lists its messages by status, against
// B's reads on the same gateway with A idle, in this run. (The test, request-budget.test.ts, checks the
// order of events instead: B answered between the slices of A's work.)
import { gatewayWithBusyAccount } from '../packages/runtime-node/test/busy-account';

const CONTACTS = Number(process.env.BENCH_BUDGET_CONTACTS ?? 100_000);
const IDLE_READS = 500;

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const row = (name: string, latencies: number[]) =>
  `| ${name.padEnd(36)} | ${String(latencies.length).padStart(5)} | ${percentile(latencies, 0.5).toFixed(1).padStart(6)} ms | ${percentile(latencies, 0.99).toFixed(0).padStart(5)} ms | ${Math.max(
    ...latencies,
  )
    .toFixed(0)
    .padStart(5)} ms |`;

const gateway = await gatewayWithBusyAccount(CONTACTS);
const idle: number[] = [];
for (let i = 0; i < IDLE_READS; i++) {
  const start = performance.now();
  await gateway.readB();
  idle.push(performance.now() - start);
}
const phases: [string, number[]][] = [];
for (const [name, work] of Object.entries(gateway.heavy))
  phases.push([name, (await gateway.whileBReads(work.run)).latencies]);
await gateway.close();

console.log(`\nB's balance reads while A works on ${CONTACTS.toLocaleString('en-US')} contacts:\n`);
console.log('| while A …                            | reads |    median |    p99 |    max |');
console.log('|--------------------------------------|------:|----------:|-------:|-------:|');
console.log(row('is idle', idle));
for (const [name, latencies] of phases) console.log(row(name, latencies));
const busy = phases.flatMap(([, latencies]) => latencies);
console.log(
  `\nB's p99 while A works: ${percentile(busy, 0.99).toFixed(0)} ms (issue 21's budget: 250 ms), ${(percentile(busy, 0.99) / percentile(idle, 0.99)).toFixed(1)}× its p99 with A idle.`,
);

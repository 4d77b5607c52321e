// Messages analysed per second: our analyzeMessage against split-sms and sms-segments-calculator,
// on one mixed corpus (about 70% short GSM-7, 20% long GSM-7, 10% Unicode with emoji), in this run.
import { SegmentedMessage } from 'sms-segments-calculator';
import split from 'split-sms';
import { analyzeMessage } from '../packages/core/src/encoding';
import { benchmarkMix } from '../packages/core/test/encoding-corpus';

const MIN_MS = Number(process.env.BENCH_ENCODING_MS ?? 2000);
const mix = benchmarkMix(1000);
let sink = 0;

function measure(name: string, analyse: (text: string) => number) {
  for (let i = 0; i < 200; i++) sink += analyse(mix[i % mix.length]!); // warm-up
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    for (const text of mix) sink += analyse(text);
    n += mix.length;
    elapsed = performance.now() - start;
  }
  return { name, perSecond: (n / elapsed) * 1000 };
}

const results = [
  measure('mifumo analyzeMessage', (t) => analyzeMessage(t).segments),
  measure('split-sms', (t) => split.split(t).parts.length),
  measure('sms-segments-calculator', (t) => new SegmentedMessage(t).segmentsCount),
];
const ours = results[0]!.perSecond;
console.log(
  `\nSegment counting, ${mix.length}-message mix (70% short GSM-7, 20% long GSM-7, 10% Unicode), this machine:\n`,
);
console.log('| library                   |     messages/s | Mifumo is |');
console.log('|---------------------------|---------------:|----------:|');
for (const r of results)
  console.log(
    `| ${r.name.padEnd(25)} | ${Math.round(r.perSecond).toLocaleString('en-US').padStart(14)} | ${(ours / r.perSecond).toFixed(1).padStart(8)}× |`,
  );
console.log(`\ntargets: ≥ 20× split-sms, ≥ 500× sms-segments-calculator${sink < 0 ? '' : ''}`);

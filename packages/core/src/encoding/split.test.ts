import { describe, expect, it } from 'vitest';
import { gsm7Cuts, ucs2Cuts } from './split';

/** The obvious character-by-character reference the run-based walk must agree with. */
function referenceGsm7Cuts(widths: number[], perPart: number): number[] {
  const cuts: number[] = [];
  let used = 0;
  widths.forEach((w, i) => {
    if (used + w > perPart) {
      cuts.push(i);
      used = 0;
    }
    used += w;
  });
  return cuts;
}

function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

describe('gsm7Cuts', () => {
  it('agrees with the per-character reference on 2000 random layouts of escapes', () => {
    const rand = random(7);
    for (let n = 0; n < 2000; n++) {
      const length = 150 + Math.floor(rand() * 800);
      const density = rand() * 0.5;
      const widths = Array.from({ length }, () => (rand() < density ? 2 : 1));
      const escapes = widths.flatMap((w, i) => (w === 2 ? [i] : []));
      for (const perPart of [153, 149])
        expect(gsm7Cuts(length, escapes, perPart)).toEqual(referenceGsm7Cuts(widths, perPart));
    }
  });

  it('moves an escape pair that would straddle the cut into the next part', () => {
    expect(gsm7Cuts(160, [152], 153)).toEqual([152]);
    expect(gsm7Cuts(160, [151], 153)).toEqual([152]);
    expect(gsm7Cuts(306, [], 153)).toEqual([153]);
  });
});

describe('ucs2Cuts', () => {
  it('cuts every 67 units, but never inside a surrogate pair', () => {
    expect(ucs2Cuts('x'.repeat(140), 67)).toEqual([67, 134]);
    expect(ucs2Cuts(`${'x'.repeat(66)}😀${'x'.repeat(10)}`, 67)).toEqual([66]);
  });
});

import { SegmentedMessage } from 'sms-segments-calculator';
import split from 'split-sms';
import { describe, expect, it } from 'vitest';
import { buildCorpus } from '../../test/encoding-corpus';
import { analyzeMessage } from './analyze';
import { decodeGsm7, encodeGsm7, packSeptets, unpackSeptets } from './septets';

const corpus = buildCorpus();

describe('the corpus', () => {
  it('holds at least 200 messages of every kind', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    for (const kind of ['short-gsm', 'long-gsm', 'unicode'] as const)
      expect(corpus.filter((e) => e.kind === kind).length).toBeGreaterThan(30);
  });
});

describe('agreement with the npm peers on encoding and segment count', () => {
  // No disagreement is left: both peers follow 3GPP on every message here. Where we differ by design
  // is not counted but split: our parts keep emoji sequences whole when that costs no segment.
  it('sms-segments-calculator (Twilio)', () => {
    const disagreements = corpus
      .map(({ text }) => {
        const ours = analyzeMessage(text);
        const theirs = new SegmentedMessage(text);
        return {
          text,
          ours: [ours.encoding, ours.segments],
          theirs: [theirs.encodingName, theirs.segmentsCount],
        };
      })
      .filter((d) => d.ours.join() !== d.theirs.join());
    expect(disagreements).toEqual([]);
  });

  it('split-sms', () => {
    const disagreements = corpus
      .map(({ text }) => {
        const ours = analyzeMessage(text);
        const theirs = split.split(text);
        return {
          text,
          ours: [ours.encoding, ours.segments],
          theirs: [theirs.characterSet === 'GSM' ? 'GSM-7' : 'UCS-2', theirs.parts.length],
        };
      })
      .filter((d) => d.ours.join() !== d.theirs.join());
    expect(disagreements).toEqual([]);
  });
});

describe('packing round-trips', () => {
  it('pack → unpack → decode gives back every GSM-7 text of the corpus, and every part', () => {
    let checked = 0;
    for (const { text } of corpus) {
      const analysis = analyzeMessage(text);
      if (analysis.encoding !== 'GSM-7') continue;
      for (const t of [text, ...analysis.parts]) {
        const septets = encodeGsm7(t);
        expect(decodeGsm7(unpackSeptets(packSeptets(septets, 1), septets.length, 1))).toBe(t);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(130);
  });
});

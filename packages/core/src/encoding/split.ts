/**
 * Where a text is cut into parts: the index at which each part after the first starts.
 * Counting segments needs only the cuts; the parts' strings are made when asked for.
 */
export type Cuts = number[];

const strideCuts = (length: number, perPart: number): Cuts => {
  const cuts: Cuts = [];
  for (let i = perPart; i < length; i += perPart) cuts.push(i);
  return cuts;
};

/**
 * GSM-7 cuts: at most `perPart` septets a part, where the characters at `escapes` (sorted indices)
 * take two septets and never straddle a cut. Works in steps of whole runs, not characters.
 */
export function gsm7Cuts(length: number, escapes: readonly number[], perPart: number): Cuts {
  if (escapes.length === 0) return strideCuts(length, perPart);
  const cuts: Cuts = [];
  let e = 0;
  let start = 0;
  for (;;) {
    let pos = start;
    let budget = perPart;
    let end = -1;
    for (; e < escapes.length; e++) {
      const at = escapes[e]!;
      if (at - pos >= budget) break; // the part fills up before this escape
      budget -= at - pos;
      if (budget < 2) {
        end = at; // the escape pair would straddle the cut: it starts the next part
        break;
      }
      budget -= 2;
      pos = at + 1;
    }
    if (end < 0) end = pos + budget;
    if (end >= length) return cuts;
    cuts.push(end);
    start = end;
  }
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** UCS-2 cuts: at most `perPart` code units a part, never inside a surrogate pair. */
export function ucs2Cuts(text: string, perPart: number): Cuts {
  if (!SURROGATE.test(text)) return strideCuts(text.length, perPart);
  const cuts: Cuts = [];
  let start = 0;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    if (i + width - start > perPart) {
      cuts.push(i);
      start = i;
    }
    i += width;
  }
  return cuts;
}

/** Characters that continue a user-perceived character: marks, joiners, variation selectors, skin tones, tags. */
const CONTINUES = /^(?:\p{M}|\u200D|\uFE0F|\p{Emoji_Modifier}|[\u{E0020}-\u{E007F}])/u;
const REGIONAL = /^[\u{1F1E6}-\u{1F1FF}]/u;

/** Whether the cut at `i` may fall inside a grapheme cluster (a cheap test before asking Intl.Segmenter). */
function mayBreakCluster(text: string, i: number): boolean {
  const after = text.slice(i, i + 2);
  return (
    CONTINUES.test(after) ||
    text.charCodeAt(i - 1) === 0x200d ||
    (REGIONAL.test(after) && REGIONAL.test(text.slice(Math.max(0, i - 2), i)))
  );
}

let graphemes: Intl.Segmenter | null = null;

/** Cuts between whole grapheme clusters, or null when a cluster is longer than a part. */
function clusterCuts(text: string, perPart: number): Cuts | null {
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const cuts: Cuts = [];
  let start = 0;
  for (const { index, segment } of graphemes.segment(text)) {
    if (segment.length > perPart) return null;
    if (index + segment.length - start > perPart) {
      cuts.push(index);
      start = index;
    }
  }
  return cuts;
}

/**
 * The UCS-2 cuts to use for the parts: `cuts` moved to grapheme cluster boundaries (emoji sequences,
 * flags, skin tones, combining marks kept whole) when that needs no extra segment, else `cuts` as is.
 */
export function ucs2CutsKeepingClusters(text: string, perPart: number, cuts: Cuts): Cuts {
  if (!cuts.some((i) => mayBreakCluster(text, i))) return cuts;
  const byCluster = clusterCuts(text, perPart);
  return byCluster !== null && byCluster.length === cuts.length ? byCluster : cuts;
}

export function sliceAt(text: string, cuts: Cuts): string[] {
  const parts: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    parts.push(text.slice(start, cut));
    start = cut;
  }
  parts.push(text.slice(start));
  return parts;
}

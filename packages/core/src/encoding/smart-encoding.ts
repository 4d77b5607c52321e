/**
 * Look-alikes replaced by "smart encoding" (off by default) when they are the only reason a message
 * would need UCS-2. Each maps to GSM-7 text; an empty string removes an invisible character.
 */
export const SMART_REPLACEMENTS: Readonly<Record<string, string>> = {
  '\u2018': "'", // ‘ left single quotation mark
  '\u2019': "'", // ’ right single quotation mark, apostrophe
  '\u201A': "'", // ‚ single low-9 quotation mark
  '\u201B': "'", // ‛ single high-reversed-9 quotation mark
  '\u2032': "'", // ′ prime
  '\u00B4': "'", // ´ acute accent
  '\u0060': "'", // ` grave accent
  '\u201C': '"', // “ left double quotation mark
  '\u201D': '"', // ” right double quotation mark
  '\u201E': '"', // „ double low-9 quotation mark
  '\u201F': '"', // ‟ double high-reversed-9 quotation mark
  '\u2033': '"', // ″ double prime
  '\u00AB': '"', // « left-pointing double angle quotation mark
  '\u00BB': '"', // » right-pointing double angle quotation mark
  '\u2039': '<', // ‹ single left-pointing angle quotation mark
  '\u203A': '>', // › single right-pointing angle quotation mark
  '\u2010': '-', // ‐ hyphen
  '\u2011': '-', // ‑ non-breaking hyphen
  '\u2012': '-', // ‒ figure dash
  '\u2013': '-', // – en dash
  '\u2014': '-', // — em dash
  '\u2015': '-', // ― horizontal bar
  '\u2212': '-', // − minus sign
  '\u2026': '...', // … horizontal ellipsis
  '\u2022': '*', // • bullet
  '\u00A0': ' ', // no-break space
  '\u2002': ' ', // en space
  '\u2003': ' ', // em space
  '\u2007': ' ', // figure space
  '\u2008': ' ', // punctuation space
  '\u2009': ' ', // thin space
  '\u200A': ' ', // hair space
  '\u202F': ' ', // narrow no-break space
  '\u205F': ' ', // medium mathematical space
  '\u3000': ' ', // ideographic space
  '\u200B': '', // zero width space
  '\u2060': '', // word joiner
  '\uFEFF': '', // zero width no-break space (BOM)
  '\u00AD': '', // soft hyphen
  '\u02C6': '^', // ˆ modifier letter circumflex
  '\u02DC': '~', // ˜ small tilde
  '\u00D7': 'x', // × multiplication sign
};

export interface Replacement {
  from: string;
  to: string;
  count: number;
}

/** The text with every listed look-alike replaced, and what was replaced (in order of first use). */
export function replaceLookalikes(text: string): { text: string; replacements: Replacement[] } {
  let out = '';
  let start = 0;
  const counts = new Map<string, number>();
  for (let i = 0; i < text.length; i++) {
    const to = SMART_REPLACEMENTS[text[i]!];
    if (to === undefined) continue;
    out += text.slice(start, i) + to;
    start = i + 1;
    counts.set(text[i]!, (counts.get(text[i]!) ?? 0) + 1);
  }
  if (counts.size === 0) return { text, replacements: [] };
  out += text.slice(start);
  return {
    text: out,
    replacements: [...counts].map(([from, count]) => ({ from, to: SMART_REPLACEMENTS[from]!, count })),
  };
}

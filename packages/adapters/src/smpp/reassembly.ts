/** Parts of concatenated incoming messages, joined once every part is in. */
export interface PartKey {
  from: string;
  to: string;
  reference: number;
  total: number;
}

/**
 * Holds the parts of concatenated incoming messages until all have come, then gives the whole text
 * once: a part sent again is ignored, before or after completion (within `keepMs`), and parts of a
 * message that never completes are dropped after `keepMs`.
 */
export function createReassembly(keepMs: number, now: () => number = Date.now) {
  const open = new Map<string, { parts: Map<number, string>; since: number }>();
  const done = new Map<string, number>();

  function expire() {
    const cutoff = now() - keepMs;
    for (const [k, v] of open) if (v.since < cutoff) open.delete(k);
    for (const [k, at] of done) if (at < cutoff) done.delete(k);
  }

  return {
    /** Adds one part; returns the whole text when this part completes it, else null. */
    add(key: PartKey, sequence: number, text: string): string | null {
      expire();
      const k = `${key.from}\u0000${key.to}\u0000${key.reference}\u0000${key.total}`;
      if (done.has(k) || sequence < 1 || sequence > key.total) return null;
      let entry = open.get(k);
      if (!entry) {
        entry = { parts: new Map(), since: now() };
        open.set(k, entry);
      }
      entry.parts.set(sequence, text);
      if (entry.parts.size < key.total) return null;
      open.delete(k);
      done.set(k, now());
      return Array.from({ length: key.total }, (_, i) => entry.parts.get(i + 1)).join('');
    },
  };
}

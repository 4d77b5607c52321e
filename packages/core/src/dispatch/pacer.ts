/**
 * Spaces submits to each carrier to its `submitsPerSecond`, in this process: every submit reserves the
 * next free slot. A slot further away than `maxWaitMs` is not reserved: the caller puts the recipient
 * back until then instead of holding its claim.
 */
export function createPacer(rates: ReadonlyMap<string, number>, maxWaitMs: number) {
  const nextFree = new Map<string, number>();
  return {
    /** `{ waitMs }` to submit after waiting that long (slot reserved), or `{ deferUntil }`. */
    reserve(carrierId: string, now: number): { waitMs: number } | { deferUntil: number } {
      const rate = rates.get(carrierId);
      if (rate === undefined) return { waitMs: 0 };
      const slot = Math.max(now, nextFree.get(carrierId) ?? now);
      if (slot - now > maxWaitMs) return { deferUntil: slot };
      nextFree.set(carrierId, slot + 1000 / rate);
      return { waitMs: slot - now };
    },
  };
}

/** Prices in minor units per segment: the longest matching prefix wins, then the operator, then the default. */
export interface PriceTable {
  perSegment: number;
  operators: Record<string, number>;
  prefixes: Record<string, number>;
}

export function pricePerSegment(e164: string, operator: string | null, table: PriceTable): number {
  let best: string | null = null;
  for (const prefix in table.prefixes) {
    if (e164.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  if (best !== null) return table.prefixes[best]!;
  if (operator !== null && operator in table.operators) return table.operators[operator]!;
  return table.perSegment;
}

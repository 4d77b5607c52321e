/**
 * Prices in minor units per segment. `home` is the default region's country calling code (`+255`): its
 * numbers cost `perSegment` unless a prefix or their operator prices them otherwise; any other number
 * has a price only when a prefix or its operator gives it one.
 */
export interface PriceTable {
  home: string;
  perSegment: number;
  operators: Record<string, number>;
  prefixes: Record<string, number>;
}

/** The price per segment: the longest matching prefix, then the operator, then the default region's; null for none. */
export function pricePerSegment(e164: string, operator: string | null, table: PriceTable): number | null {
  let best: string | null = null;
  for (const prefix in table.prefixes) {
    if (e164.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
  }
  if (best !== null) return table.prefixes[best]!;
  if (operator !== null && operator in table.operators) return table.operators[operator]!;
  return e164.startsWith(table.home) ? table.perSegment : null;
}

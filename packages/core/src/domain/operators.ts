/**
 * Tanzanian mobile operators by E.164 prefix (+255 and the first two digits of the national number),
 * as allocated in libphonenumber's metadata 9.0.34 (July 2026). Yas is the former Tigo, and took over
 * Zantel's 77 range. Numbers are portable, so this says where a number was allocated, not where it is:
 * routes may match prefixes as well, and configuration may override any entry.
 */
const TZ_OPERATORS: Readonly<Record<string, string>> = {
  '+25561': 'halotel',
  '+25562': 'halotel',
  '+25563': 'halotel',
  '+25565': 'yas',
  '+25566': 'airtel',
  '+25567': 'yas',
  '+25568': 'airtel',
  '+25569': 'airtel',
  '+25570': 'yas',
  '+25571': 'yas',
  '+25572': 'vodacom',
  '+25573': 'ttcl',
  '+25574': 'vodacom',
  '+25575': 'vodacom',
  '+25576': 'vodacom',
  '+25577': 'yas',
  '+25578': 'airtel',
  '+25579': 'vodacom',
};

/** Finds a number's operator: the longest matching prefix. */
export type OperatorLookup = (e164: string) => string | null;

/**
 * The operator lookup over the built-in table with `overrides` (E.164 prefix → operator name) laid on
 * top; the longest matching prefix wins, so `{"+2557544": "smile"}` carves a block out of Vodacom's 75.
 */
export function operatorTable(overrides: Readonly<Record<string, string>> = {}): OperatorLookup {
  const table = new Map(Object.entries({ ...TZ_OPERATORS, ...overrides }));
  const lengths = [...new Set([...table.keys()].map((p) => p.length))].sort((a, b) => b - a);
  return (e164) => {
    for (const length of lengths) {
      const operator = table.get(e164.slice(0, length));
      if (operator !== undefined) return operator;
    }
    return null;
  };
}

/** Every operator the lookup over `overrides` can answer (the built-in table's and the overrides'), sorted. */
export function operatorNames(overrides: Readonly<Record<string, string>> = {}): string[] {
  return [...new Set([...Object.values(TZ_OPERATORS), ...Object.values(overrides)])].sort();
}

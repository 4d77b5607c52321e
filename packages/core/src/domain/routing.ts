export interface Route {
  operators?: string[] | undefined;
  prefixes?: string[] | undefined;
  carriers: string[];
}

/**
 * The carriers to try for a number, in order: the first route whose operators or prefixes match.
 * With no routes at all, every carrier in configuration order. An empty list means no route.
 */
export function carriersFor(
  e164: string,
  operator: string | null,
  routes: readonly Route[],
  allCarriers: readonly string[],
): readonly string[] {
  if (routes.length === 0) return allCarriers;
  for (const route of routes) {
    const byOperator = operator !== null && route.operators?.includes(operator) === true;
    const byPrefix = route.prefixes?.some((p) => e164.startsWith(p)) === true;
    const catchAll = route.operators === undefined && route.prefixes === undefined;
    if (byOperator || byPrefix || catchAll) return route.carriers;
  }
  return [];
}

/**
 * `route` with `preferred` first when it is on it (a reply goes back by the carrier its message came
 * in on, the others still there to fail over to); otherwise `route` as it is.
 */
export function preferCarrier(route: readonly string[], preferred: string | null): readonly string[] {
  if (preferred === null || route[0] === preferred || !route.includes(preferred)) return route;
  return [preferred, ...route.filter((id) => id !== preferred)];
}

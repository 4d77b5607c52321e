/** The languages the dashboard speaks; an account without its own choice sees `DEFAULT_LANGUAGE`. */
export const LANGUAGES = ['en', 'sw'] as const;
export type Language = (typeof LANGUAGES)[number];

/** English: the language of the API, its documentation and the CLI. An account may choose Swahili. */
export const DEFAULT_LANGUAGE: Language = 'en';

export const isLanguage = (value: unknown): value is Language =>
  (LANGUAGES as readonly unknown[]).includes(value);

/**
 * The language of ours an `Accept-Language` header prefers (`sw-TZ,sw;q=0.9,en;q=0.8` → `sw`), by its
 * weights and then its order; null when it names none of them. Pure.
 */
export function preferredLanguage(header: string | undefined): Language | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return {
        primary: tag.trim().toLowerCase().split('-')[0],
        weight: q === undefined ? 1 : Number(q),
        order,
      };
    })
    .filter((r) => r.weight > 0 && isLanguage(r.primary))
    .sort((a, b) => b.weight - a.weight || a.order - b.order);
  return (ranked[0]?.primary as Language | undefined) ?? null;
}

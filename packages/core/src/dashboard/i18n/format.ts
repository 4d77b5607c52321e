import type { Language } from '../../domain/language';

/** The Intl locale of each language: Swahili as written in Tanzania. */
export const LOCALES: Record<Language, string> = { en: 'en', sw: 'sw-TZ' };

/** How a page writes numbers, money and times, in its language and the account's time zone. */
export interface Formats {
  /** The IANA time zone times are shown in. */
  zone: string;
  number(n: number): string;
  /** An amount in major units with its currency (`TSh 1,500.00` in Swahili, `TZS 1,500.00` in English). */
  money(amount: number, currency: string): string;
  /** A ratio as a percentage with one decimal (`0.5` → `50.0%`). */
  percent(ratio: number): string;
  /** An ISO instant in the zone with its offset (`4 Des 2026 14:05 (+03:00)`); a dash for none. */
  when(at: string | null | undefined): string;
  /** The same to the second (`4 Des 2026 14:05:09 (+03:00)`), for a timeline. */
  whenExact(at: string | null | undefined): string;
  /** A calendar day `YYYY-MM-DD` as a short label (`4 Des`). */
  day(day: string): string;
}

const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
/** Intl formatters are slow to make and immutable: one per locale, zone and shape. */
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key);
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f as T;
}

const numberFormat = (locale: string, options: Intl.NumberFormatOptions = {}) =>
  cached(`n|${locale}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(locale, options));

/** `day month year hour:minute[:second] (±hh:mm)` in every language: the parts from Intl, the order ours. */
function instantFormat(locale: string, zone: string, seconds: boolean) {
  const format = cached(
    `t|${locale}|${zone}|${seconds}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        timeZone: zone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        ...(seconds ? { second: '2-digit' } : {}),
        hourCycle: 'h23',
        timeZoneName: 'longOffset',
      }),
  );
  return (at: string | null | undefined) => {
    if (!at) return '—';
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    const offset = p.timeZoneName?.replace(/^GMT\s*/, '') || '+00:00';
    const time = seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
    return `${p.day} ${p.month} ${p.year} ${time} (${offset})`;
  };
}

export function formatsFor(lang: Language, zone: string): Formats {
  const locale = LOCALES[lang];
  const dayFormat = cached(
    `d|${locale}`,
    () => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }),
  );
  return {
    zone,
    number: (n) => numberFormat(locale).format(n),
    money: (amount, currency) => numberFormat(locale, { style: 'currency', currency }).format(amount),
    percent: (ratio) =>
      numberFormat(locale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
        ratio,
      ),
    when: instantFormat(locale, zone, false),
    whenExact: instantFormat(locale, zone, true),
    day: (day) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
  };
}

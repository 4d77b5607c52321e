import { type Clock, iso } from '../clock';
import { isLanguage, LANGUAGES, type Language } from '../domain/language';
import { canonicalTimeZone } from '../domain/time-zone';
import { GatewayError, invalidField } from '../errors';
import type { Store } from '../storage/store';

/** What an account's dashboard shows: its language and time zone; null: the defaults. */
export interface Preferences {
  language: Language | null;
  /** An IANA time zone (canonical name). */
  timeZone: string | null;
}

/** A change of preferences: a field left out is kept; null goes back to the default. */
export interface PreferencesChange {
  language?: string | null;
  timeZone?: string | null;
}

/**
 * A change checked (a language of ours, a time zone Intl knows, given by its canonical name); a
 * VALIDATION_ERROR naming `language` or `time_zone` otherwise. Pure.
 */
export function checkedPreferences(change: PreferencesChange): Partial<Preferences> {
  const checked: Partial<Preferences> = {};
  const { language, timeZone } = change;
  if (language !== undefined) {
    if (language !== null && !isLanguage(language))
      throw invalidField('language', `must be one of ${LANGUAGES.join(', ')}`);
    checked.language = language;
  }
  if (timeZone !== undefined) {
    const zone = timeZone === null ? null : canonicalTimeZone(timeZone);
    if (timeZone !== null && zone === null)
      throw invalidField('time_zone', 'must be an IANA time zone, such as Africa/Dar_es_Salaam');
    checked.timeZone = zone;
  }
  return checked;
}

const notFound = (id: string) => new GatewayError('NOT_FOUND', `No account ${id}`);

/** Accounts' dashboard preferences, kept on the account. */
export function createPreferences({ store, clock }: { store: Store; clock: Clock }) {
  const { db } = store;

  async function get(accountId: string): Promise<Preferences> {
    const row = await db
      .selectFrom('accounts')
      .select(['language', 'time_zone'])
      .where('id', '=', accountId)
      .executeTakeFirst();
    if (!row) throw notFound(accountId);
    return { language: isLanguage(row.language) ? row.language : null, timeZone: row.time_zone };
  }

  return {
    get,

    /** Sets the account's preferences (see `PreferencesChange`); answers them as they are now. */
    async set(accountId: string, change: PreferencesChange): Promise<Preferences> {
      const { language, timeZone } = checkedPreferences(change);
      const updated = await db
        .updateTable('accounts')
        .set({
          ...(language === undefined ? {} : { language }),
          ...(timeZone === undefined ? {} : { time_zone: timeZone }),
          updated_at: iso(clock.now()),
        })
        .where('id', '=', accountId)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) throw notFound(accountId);
      return get(accountId);
    },
  };
}

export type PreferencesService = ReturnType<typeof createPreferences>;

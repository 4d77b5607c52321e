import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn } from '../../test/harness';
import { createStore } from '../storage/store';
import { checkedPreferences, createPreferences } from './preferences';

describe('checkedPreferences', () => {
  it('takes our languages and the time zones Intl knows, by their canonical names', () => {
    expect(checkedPreferences({ language: 'sw', timeZone: 'africa/dar_es_salaam' })).toEqual({
      language: 'sw',
      timeZone: 'Africa/Dar_es_Salaam',
    });
    expect(checkedPreferences({ language: null, timeZone: null })).toEqual({
      language: null,
      timeZone: null,
    });
    expect(checkedPreferences({})).toEqual({});
  });

  it('refuses anything else, naming the field', () => {
    expect(() => checkedPreferences({ language: 'fr' })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'language', message: 'must be one of en, sw' }],
      }),
    );
    for (const timeZone of ['Mars/Olympus_Mons', '', '+03:00 junk'])
      expect(() => checkedPreferences({ timeZone })).toThrow(
        expect.objectContaining({ details: [expect.objectContaining({ field: 'time_zone' })] }),
      );
  });
});

describe.each(ENGINES)('preferences on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('keeps an account’s language and time zone, each back to null on request', async () => {
    const g = gateway();
    const preferences = createPreferences({
      store: createStore(g.database),
      clock: { now: () => Date.now() },
    });
    const { account } = await g.newAccount();
    expect(await preferences.get(account.id)).toEqual({ language: null, timeZone: null });
    expect(await preferences.set(account.id, { language: 'sw', timeZone: 'Africa/Kampala' })).toEqual({
      language: 'sw',
      timeZone: 'Africa/Kampala',
    });
    expect(await preferences.set(account.id, { language: null })).toEqual({
      language: null,
      timeZone: 'Africa/Kampala',
    });
    const other = await g.newAccount();
    expect(await preferences.get(other.account.id)).toEqual({ language: null, timeZone: null });
    await expect(preferences.get('acc_nosuch')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(preferences.set('acc_nosuch', { language: 'en' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});

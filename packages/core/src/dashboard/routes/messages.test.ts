import { expect, it } from 'vitest';
import { dashboardClient } from '../../../test/dashboard-client';
import { createTestGateway, manualClock } from '../../../test/harness';
import { createPreferences } from '../../services/preferences';
import { createStore } from '../../storage/store';

it('filters messages by days of the account’s time zone, and says which zone', async () => {
  // 22:00 UTC on 30 June is 01:00 on 1 July in Dar es Salaam.
  const clock = manualClock(Date.UTC(2026, 5, 30, 22));
  const g = await createTestGateway({ clock });
  try {
    const { account, key } = await g.newAccount(100);
    const sent = (
      await g.call('POST', '/v1/sms/send/', {
        key,
        body: { message: 'Usiku', recipients: ['+255754100300'] },
      })
    ).json.data;
    const browser = dashboardClient(g);
    await browser.signIn(key);
    const on = async (day: string) =>
      (await browser.get(`/dashboard/messages/?start_date=${day}&end_date=${day}`)).text.includes(
        `data-message="${sent.message_id}"`,
      );
    expect((await browser.get('/dashboard/messages/')).text).toContain('Times in Africa/Dar_es_Salaam.');
    expect(await on('2026-07-01')).toBe(true);
    expect(await on('2026-06-30')).toBe(false);

    await createPreferences({ store: createStore(g.database), clock }).set(account.id, { timeZone: 'UTC' });
    expect(await on('2026-06-30')).toBe(true);
    expect(await on('2026-07-01')).toBe(false);
    // A date-time is taken as written.
    const exact = await browser.get(
      '/dashboard/messages/?start_date=2026-06-30T21:59:00Z&end_date=2026-06-30T22:01:00Z',
    );
    expect(exact.text).toContain(`data-message="${sent.message_id}"`);
  } finally {
    await g.close();
  }
});

import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, manualClock } from '../../test/harness';

const RULES = { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: true };

describe.each(ENGINES)('the opt-out route of an account on %s', (_engine, open) => {
  it('is its oldest number without a keyword, else its oldest keyword; null without a number; its own only', async () => {
    const clock = manualClock();
    const db = await open();
    const g = await createTestGateway({ clock, storage: db.storage });
    try {
      const { admin } = g.mifumo;
      const a = g.account.id;
      const b = (await g.newAccount()).account.id;
      expect(await admin.optOutRoute(a)).toBeNull();
      await admin.addNumber({ accountId: a, number: '15678', keyword: 'duka' }, RULES);
      clock.advance(1000);
      await admin.addNumber({ accountId: a, number: '15600', keyword: 'bei' }, RULES);
      expect(await admin.optOutRoute(a)).toEqual({ number: '15678', keyword: 'DUKA' });
      clock.advance(1000);
      await admin.addNumber({ accountId: a, number: '15999' }, RULES);
      clock.advance(1000);
      await admin.addNumber({ accountId: a, number: '15111' }, RULES);
      expect(await admin.optOutRoute(a)).toEqual({ number: '15999', keyword: null });
      expect(await admin.optOutRoute(b)).toBeNull();
    } finally {
      await g.close();
      await db.drop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import type { Principal } from '../../auth/principal';
import { configSchema, type MifumoConfigInput } from '../../config';
import { createDrafter } from './draft';

const principal: Principal = {
  keyId: 'k',
  accountId: 'a',
  permissions: ['write'],
  smartEncoding: null,
  limits: { smsPerMinute: 100, apiCallsPerHour: 1000, contactOpsPerHour: 500 },
};
const NOW = Date.UTC(2026, 0, 1);
const drafter = (config: MifumoConfigInput = {}) =>
  createDrafter(configSchema.parse(config), new Map([['dev', {}]]));

describe('a send draft (pure: no storage)', async () => {
  it('normalises and de-duplicates recipients, then prices each by prefix, operator or default', async () => {
    const draft = await drafter({ pricing: { perSegment: 10, prefixes: { '+25575': 12.5 } } })(
      principal,
      { message: 'Habari', recipients: ['0754000111', '+255754000111', '+255654000111'] },
      NOW,
    );
    expect(draft.recipients.map((r) => [r.phone, r.cost])).toEqual([
      ['+255754000111', 1250],
      ['+255654000111', 1000],
    ]);
    expect(draft).toMatchObject({ senderId: 'MIFUMO', total: 2250, scheduledAt: null });
    expect(draft.analysis).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });

  it('refuses destinations with no price, naming them, unless a prefix prices them', async () => {
    const refused = await (async () => {
      try {
        await drafter()(
          principal,
          { message: 'a', recipients: ['+255754000111', '+254712345678', '+14155552671'] },
          NOW,
        );
      } catch (e) {
        return e;
      }
    })();
    expect(refused).toMatchObject({
      code: 'UNSUPPORTED_DESTINATION',
      details: { phones: ['+254712345678', '+14155552671'] },
    });
    expect((refused as Error).message).toContain('+254712345678');
    const priced = await drafter({ pricing: { prefixes: { '+254': 25 } } })(
      principal,
      { message: 'a', recipients: ['+255754000111', '+254712345678'] },
      NOW,
    );
    expect(priced.recipients.map((r) => [r.phone, r.cost])).toEqual([
      ['+255754000111', 1000],
      ['+254712345678', 2500],
    ]);
    // The default region follows the configuration.
    const kenyan = await drafter({ defaultRegion: 'KE' })(
      principal,
      { message: 'a', recipients: ['0712345678'] },
      NOW,
    );
    expect(kenyan.recipients).toMatchObject([{ phone: '+254712345678', cost: 1000 }]);
  });

  it('costs every segment of a long message', async () => {
    const draft = await drafter({ messages: { maxLength: null, maxSegments: 3 } })(
      principal,
      { message: 'x'.repeat(161), recipients: ['+255754000111'] },
      NOW,
    );
    expect(draft).toMatchObject({ total: 2000, analysis: { segments: 2 } });
  });

  it('keeps a future schedule time and sends a past one now', async () => {
    const d = drafter();
    const later = await d(
      principal,
      { message: 'a', recipients: ['+255754000111'], schedule_time: '2026-01-02T00:00:00Z' },
      NOW,
    );
    expect(later.scheduledAt).toBe(Date.UTC(2026, 0, 2));
    const past = await d(
      principal,
      { message: 'a', recipients: ['+255754000111'], schedule_time: '2025-01-01T00:00:00Z' },
      NOW,
    );
    expect(past.scheduledAt).toBeNull();
  });

  it.each([
    [{ message: 'a', recipients: ['+255754000111'], sender_id: 'OTHER' }, 'INVALID_SENDER_ID'],
    [{ message: 'a', recipients: ['12'] }, 'INVALID_PHONE'],
    [{ message: 'x'.repeat(161), recipients: ['+255754000111'] }, 'MESSAGE_TOO_LONG'],
    [
      { message: 'a', recipients: ['+255754000111'], schedule_time: '2026-01-02T00:00:00' },
      'VALIDATION_ERROR',
    ],
    [
      { message: 'a', recipients: Array.from({ length: 10_001 }, (_, i) => `+2557540${i}`) },
      'VALIDATION_ERROR',
    ],
  ])('refuses %#: %s', async (input, code) => {
    await expect(drafter()(principal, input, NOW)).rejects.toThrow(expect.objectContaining({ code }));
  });
});

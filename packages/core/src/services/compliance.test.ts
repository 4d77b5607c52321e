import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, type TestGateway } from '../../test/harness';
import { configSchema } from '../config';
import { createStore } from '../storage/store';
import { createCompliance } from './compliance';

const at = (text: string) => Date.parse(text);
/** 21:00 in Dar es Salaam (UTC+3) on 10 June 2026. */
const EVENING = at('2026-06-10T18:00:00Z');
const NEXT_MORNING = at('2026-06-11T05:00:00Z'); // 08:00 EAT

describe.each(ENGINES)('compliance on %s', (_engine, open) => {
  let g: TestGateway;
  let now = EVENING;
  let drop = async () => {};
  const clock = { now: () => now };
  const compliance = () => g.mifumo.compliance;
  const account = async () => (await g.newAccount()).account.id;

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    g = await createTestGateway({ storage: db.storage, clock });
  });
  afterAll(async () => {
    await g.close();
    await drop();
  });
  beforeEach(async () => {
    now = EVENING;
    await compliance().resume(); // a gateway-wide pause of one test is not left to the next
  });

  describe('quiet hours (20:00–08:00 in Dar es Salaam by default)', () => {
    it('21:00 EAT waits until 08:00 EAT the next day', async () => {
      const id = await account();
      expect(await compliance().promotionalWindow(id, EVENING)).toEqual({
        deferUntil: NEXT_MORNING,
        held: false,
        reason: 'quiet_hours',
      });
    });

    it('07:59 waits a minute; 08:00 and 19:59 go now; 20:00 waits', async () => {
      const id = await account();
      expect((await compliance().promotionalWindow(id, at('2026-06-11T04:59:00Z'))).deferUntil).toBe(
        NEXT_MORNING,
      );
      for (const open of ['2026-06-11T05:00:00Z', '2026-06-11T16:59:00Z'])
        expect(await compliance().promotionalWindow(id, at(open))).toEqual({
          deferUntil: null,
          held: false,
          reason: null,
        });
      expect((await compliance().promotionalWindow(id, at('2026-06-11T17:00:00Z'))).deferUntil).toBe(
        at('2026-06-12T05:00:00Z'),
      );
    });

    it('uses the clock when no instant is given', async () => {
      const id = await account();
      now = NEXT_MORNING;
      expect((await compliance().promotionalWindow(id)).deferUntil).toBeNull();
      now = EVENING;
      expect((await compliance().promotionalWindow(id)).deferUntil).toBe(NEXT_MORNING);
    });

    it('an account’s own quiet hours replace the gateway’s, for that account only', async () => {
      const [id, other] = [await account(), await account()];
      const set = await compliance().setSettings(id, {
        quietHours: { start: '22:00', end: '06:30', timeZone: 'africa/dar_es_salaam' },
      });
      expect(set.quietHours).toEqual({ start: '22:00', end: '06:30', timeZone: 'Africa/Dar_es_Salaam' });
      expect(set.overrides).toEqual(['quietHours']);
      expect((await compliance().promotionalWindow(id, EVENING)).deferUntil).toBeNull();
      expect((await compliance().promotionalWindow(id, at('2026-06-10T19:00:00Z'))).deferUntil).toBe(
        at('2026-06-11T03:30:00Z'),
      );
      expect((await compliance().promotionalWindow(other, EVENING)).deferUntil).toBe(NEXT_MORNING);
    });

    it('an account may have none, in another zone, or go back to the gateway’s', async () => {
      const id = await account();
      expect((await compliance().setSettings(id, { quietHours: 'none' })).quietHours).toBeNull();
      expect((await compliance().promotionalWindow(id, EVENING)).held).toBe(false);
      expect((await compliance().promotionalWindow(id, EVENING)).deferUntil).toBeNull();
      await compliance().setSettings(id, {
        quietHours: { start: '20:00', end: '08:00', timeZone: 'Europe/London' },
      });
      // 21:00 EAT is 19:00 in London (BST): not quiet there yet.
      expect((await compliance().promotionalWindow(id, EVENING)).deferUntil).toBeNull();
      expect((await compliance().promotionalWindow(id, at('2026-06-10T19:00:00Z'))).deferUntil).toBe(
        at('2026-06-11T07:00:00Z'),
      );
      const back = await compliance().setSettings(id, { quietHours: null });
      expect(back.quietHours).toEqual({ start: '20:00', end: '08:00', timeZone: 'Africa/Dar_es_Salaam' });
      expect(back.overrides).toEqual([]);
      expect((await compliance().promotionalWindow(id, EVENING)).deferUntil).toBe(NEXT_MORNING);
    });

    it('refuses bad quiet hours, naming the field, and keeps what was set', async () => {
      const id = await account();
      await expect(
        compliance().setSettings(id, { quietHours: { start: '20:00', end: '8:00', timeZone: 'UTC' } }),
      ).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'quiet_hours.end', message: 'must be a 24-hour time HH:MM, such as 20:00' }],
      });
      await expect(
        compliance().setSettings(id, { quietHours: { start: '20:00', end: '08:00', timeZone: 'Dar' } }),
      ).rejects.toMatchObject({ details: [{ field: 'quiet_hours.time_zone' }] });
      expect((await compliance().settings(id)).overrides).toEqual([]);
    });
  });

  describe('the pause switch', () => {
    it('a gateway-wide pause with an end defers every account until then', async () => {
      now = at('2026-06-11T06:00:00Z'); // 09:00 EAT
      const until = at('2026-06-11T09:00:00Z');
      const pause = await compliance().pause({ until, by: 'cli' });
      expect(pause).toMatchObject({ account_id: null, traffic_class: 'promotional', created_by: 'cli' });
      for (const id of [await account(), await account()])
        expect(await compliance().promotionalWindow(id)).toEqual({
          deferUntil: until,
          held: false,
          reason: 'paused',
        });
    });

    it('a pause ending in quiet hours defers to the end of quiet hours', async () => {
      now = at('2026-06-10T15:00:00Z'); // 18:00 EAT
      await compliance().pause({ until: at('2026-06-10T18:30:00Z') }); // 21:30 EAT
      expect((await compliance().promotionalWindow(await account())).deferUntil).toBe(NEXT_MORNING);
    });

    it('a pause ending before quiet hours end changes nothing in them', async () => {
      await compliance().pause({ until: at('2026-06-10T20:00:00Z') }); // 23:00 EAT
      expect(await compliance().promotionalWindow(await account(), EVENING)).toEqual({
        deferUntil: NEXT_MORNING,
        held: false,
        reason: 'paused',
      });
    });

    it('a pause without an end holds until resumed; resuming lets them go', async () => {
      const id = await account();
      now = NEXT_MORNING;
      await compliance().pause();
      expect(await compliance().promotionalWindow(id)).toEqual({
        deferUntil: null,
        held: true,
        reason: 'paused',
      });
      expect(await compliance().resume()).toBe(1);
      expect(await compliance().promotionalWindow(id)).toEqual({
        deferUntil: null,
        held: false,
        reason: null,
      });
      expect(await compliance().resume()).toBe(0);
    });

    it('an account’s pause holds only that account, and resuming it only ends its own', async () => {
      const [id, other] = [await account(), await account()];
      now = NEXT_MORNING;
      await compliance().pause({ accountId: id });
      expect((await compliance().promotionalWindow(id)).held).toBe(true);
      expect((await compliance().promotionalWindow(other)).held).toBe(false);
      await compliance().pause();
      expect(await compliance().resume({ accountId: other })).toBe(0);
      expect(await compliance().resume({ accountId: id })).toBe(1);
      expect((await compliance().promotionalWindow(id)).held).toBe(true); // the gateway-wide one
      expect(await compliance().resume()).toBe(1);
      expect((await compliance().promotionalWindow(id)).held).toBe(false);
    });

    it('a pause whose end has passed is over; a new pause on the same scope replaces the one in force', async () => {
      const id = await account();
      now = NEXT_MORNING;
      await compliance().pause({ accountId: id, until: now + 3_600_000 });
      const replaced = await compliance().pause({ accountId: id, until: now + 7_200_000 });
      expect(await compliance().pauses({ accountId: id })).toEqual([replaced]);
      expect((await compliance().promotionalWindow(id)).deferUntil).toBe(now + 7_200_000);
      now += 7_200_000;
      expect(await compliance().promotionalWindow(id)).toMatchObject({ deferUntil: null, held: false });
      expect(await compliance().pauses({ accountId: id })).toEqual([]);
    });

    it('lists the pauses that apply: an account’s own and the gateway-wide ones; all without an account', async () => {
      const [id, other] = [await account(), await account()];
      const own = await compliance().pause({ accountId: id });
      now += 1;
      const theirs = await compliance().pause({ accountId: other, until: now + 60_000 });
      now += 1;
      const everyone = await compliance().pause({ by: 'cli' });
      expect(await compliance().pauses({ accountId: id })).toEqual([own, everyone]);
      expect(await compliance().pauses({ accountId: other })).toEqual([theirs, everyone]);
      const all = await compliance().pauses();
      expect(all).toEqual(expect.arrayContaining([own, theirs, everyone]));
      await compliance().resume({ accountId: id });
      await compliance().resume({ accountId: other });
    });

    it('refuses an end in the past, another traffic class and unknown accounts', async () => {
      await expect(compliance().pause({ until: now })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [{ field: 'until', message: 'must be in the future' }],
      });
      await expect(compliance().pause({ trafficClass: 'transactional' })).rejects.toMatchObject({
        details: [{ field: 'traffic_class', message: 'must be promotional' }],
      });
      await expect(compliance().pause({ accountId: 'acc_nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(compliance().resume({ accountId: 'acc_nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(compliance().pauses({ accountId: 'acc_nope' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      const kept = await g.database.db
        .selectFrom('compliance_pauses')
        .select('id')
        .where('account_id', '=', 'acc_nope')
        .execute();
      expect(kept).toEqual([]);
    });
  });

  describe('settings and the footer', () => {
    it('are the configuration’s until an account sets its own, which no other account sees', async () => {
      const [id, other] = [await account(), await account()];
      const defaults = await compliance().settings(id);
      expect(defaults).toMatchObject({
        optOutFooter: 'Kusitisha tuma {keyword} ACHA kwenda {number}',
        keywords: { optOut: expect.arrayContaining(['STOP', 'ACHA']), optIn: ['START', 'ANZA', 'RUDI'] },
        overrides: [],
      });
      const set = await compliance().setSettings(id, {
        optOutFooter: 'STOP: tuma {keyword} ACHA kwa {number}',
        helpReply: 'Msaada: {sender}',
      });
      expect(set).toMatchObject({
        optOutFooter: 'STOP: tuma {keyword} ACHA kwa {number}',
        helpReply: 'Msaada: {sender}',
        optOutReply: defaults.optOutReply,
        overrides: ['optOutFooter', 'helpReply'],
      });
      expect(await compliance().settings(other)).toEqual(defaults);
      // A later change keeps what it leaves out; null goes back to the configuration's.
      const next = await compliance().setSettings(id, { optOutReply: 'Kwaheri', helpReply: null });
      expect(next.overrides).toEqual(['optOutFooter', 'optOutReply']);
      expect(next.helpReply).toBe(defaults.helpReply);
    });

    it('refuses a footer without {number} and unknown placeholders; unknown accounts are not found', async () => {
      const id = await account();
      await expect(compliance().setSettings(id, { optOutFooter: 'Tuma ACHA' })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
        details: [
          { field: 'opt_out_footer', message: 'must contain {number}, where to send the opt-out keyword' },
        ],
      });
      await expect(compliance().setSettings(id, { optInReply: 'Karibu {name}' })).rejects.toMatchObject({
        details: [{ field: 'opt_in_reply' }],
      });
      await expect(compliance().setSettings('acc_nope', { optInReply: 'Karibu' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(compliance().settings('acc_nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const rows = await g.database.db
        .selectFrom('account_compliance')
        .select('account_id')
        .where('account_id', '=', 'acc_nope')
        .execute();
      expect(rows).toEqual([]);
    });

    it('renders the footer for the account’s own number and for its keyword on a shared short code', async () => {
      const id = await account();
      expect(await compliance().footerFor(id, { number: '15678', keyword: null })).toBe(
        'Kusitisha tuma ACHA kwenda 15678',
      );
      expect(await compliance().footerFor(id, { number: '15678', keyword: 'DUKA' })).toBe(
        'Kusitisha tuma DUKA ACHA kwenda 15678',
      );
    });

    it('OPT_OUT_REQUIRED without an opt-out route, or with a footer that cannot name the shared code’s keyword', async () => {
      const id = await account();
      await expect(compliance().footerFor(id, null)).rejects.toMatchObject({
        code: 'OPT_OUT_REQUIRED',
        status: 400,
        details: { setting: 'inbound_number' },
        message: expect.stringContaining('add an inbound number'),
      });
      await compliance().setSettings(id, { optOutFooter: 'Tuma ACHA kwenda {number}' });
      expect(await compliance().footerFor(id, { number: '+255754000999', keyword: null })).toBe(
        'Tuma ACHA kwenda +255754000999',
      );
      await expect(compliance().footerFor(id, { number: '15678', keyword: 'DUKA' })).rejects.toMatchObject({
        code: 'OPT_OUT_REQUIRED',
        details: { setting: 'opt_out_footer' },
        message: expect.stringContaining('add {keyword} to it'),
      });
    });
  });

  it('another process sees a change once its cache of the account has expired', async () => {
    const id = await account();
    now = NEXT_MORNING;
    const elsewhere = createCompliance({
      store: createStore(g.database),
      clock,
      config: configSchema.parse({ compliance: { cacheTtlMs: 5_000 } }).compliance,
    });
    expect((await elsewhere.promotionalWindow(id)).held).toBe(false);
    await compliance().pause({ accountId: id });
    expect((await elsewhere.promotionalWindow(id)).held).toBe(false); // cached
    now += 5_000;
    expect((await elsewhere.promotionalWindow(id)).held).toBe(true);
    await compliance().resume({ accountId: id });
  });
});

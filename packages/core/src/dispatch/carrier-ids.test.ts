import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, manualClock, TEST_SECRET } from '../../test/harness';
import type { CarrierAdapter, CarrierContext } from '../carriers/contract';
import { createMifumo } from '../mifumo';

/** A carrier that numbers its ids from 1 and starts again from 1 when it `restart`s (as SMSCs do). */
function restartingCarrier() {
  let ctx: CarrierContext | null = null;
  let n = 0;
  const adapter: CarrierAdapter = {
    id: 'dev',
    type: 'restarting',
    start: (c) => {
      ctx = c;
    },
    async submit() {
      return { carrierMessageIds: [`id-${++n}`] };
    },
  };
  return {
    adapter,
    restart: () => {
      n = 0;
    },
    report: (id: string) => ctx!.report({ carrierMessageId: id, status: 'delivered' }),
  };
}

describe.each(ENGINES)('carrier ids on %s', (_, open) => {
  it('resolve to the latest submission that got them: a restarted carrier reusing ids still delivers', async () => {
    const fresh = await open();
    const carrier = restartingCarrier();
    const g = await createTestGateway({ adapter: carrier.adapter, storage: fresh.storage });
    try {
      const send = async (text: string) =>
        (await g.call('POST', '/v1/sms/send/', { body: { message: text, recipients: ['+255754000111'] } }))
          .json.data.message_id as string;
      const status = async (id: string) => (await g.call('GET', `/v1/sms/status/${id}/`)).json.data.status;

      // Before the restart: one delivered, one still waiting for its receipt.
      const delivered = await send('one');
      const waiting = await send('two');
      await g.mifumo.dispatchDue();
      expect(await carrier.report('id-1')).toBe('applied');
      expect([await status(delivered), await status(waiting)]).toEqual(['delivered', 'sent']);

      // The carrier restarts and hands out id-1 and id-2 again.
      carrier.restart();
      const first = await send('three');
      const second = await send('four');
      await g.mifumo.dispatchDue();
      expect(await carrier.report('id-1')).toBe('applied');
      expect(await carrier.report('id-2')).toBe('applied');
      expect(await status(first)).toBe('delivered');
      expect(await status(second)).toBe('delivered');
      // The older submissions keep what they had: the receipts went to the newer ones.
      expect(await status(delivered)).toBe('delivered');
      expect(await status(waiting)).toBe('sent');
    } finally {
      await g.close();
      await fresh.drop();
    }
  });
});

describe.each(ENGINES)('held delivery reports on %s', (_, open) => {
  it('never decide a submission stored after they expired, and are capped per carrier', async () => {
    const fresh = await open();
    const clock = manualClock();
    const logged: string[] = [];
    const g = await createTestGateway({
      clock,
      storage: fresh.storage,
      config: { dispatch: { reportHoldMs: 60_000, maxHeldReports: 3 } },
    });
    const other = createMifumo({
      secret: TEST_SECRET,
      storage: g.database,
      carriers: [g.carrier],
      config: {
        carriers: [{ id: 'dev', type: 'fake' }],
        dispatch: { reportHoldMs: 60_000, maxHeldReports: 3 },
      },
      clock,
      logger: { error: (m) => logged.push(m) },
    });
    try {
      const stray = { carrierMessageId: 'x-1', status: 'failed', errorCode: 'REJECTD' } as const;
      expect(await other.handleReport('dev', stray)).toBe('held');
      expect(await other.handleReport('dev', { carrierMessageId: 'x-2', status: 'delivered' })).toBe('held');
      expect(await other.handleReport('dev', { carrierMessageId: 'x-3', status: 'delivered' })).toBe('held');
      // The carrier's hold is full: the next unknown id is dropped, and that is said once.
      expect(await other.handleReport('dev', { carrierMessageId: 'x-4', status: 'delivered' })).toBe(
        'dropped',
      );
      expect(await other.handleReport('dev', { carrierMessageId: 'x-5', status: 'delivered' })).toBe(
        'dropped',
      );
      expect(logged.filter((l) => l.includes('further ones are dropped'))).toHaveLength(1);

      // Later than the hold, another account's message is given the same id by the carrier.
      clock.advance(60_001);
      const { key } = await g.newAccount();
      const id = (
        await g.call('POST', '/v1/sms/send/', { key, body: { message: 'hi', recipients: ['+255754000111'] } })
      ).json.data.message_id;
      const row = await g.database.db.selectFrom('recipients').select('id').executeTakeFirstOrThrow();
      await g.database.db
        .updateTable('recipients')
        .set({ status: 'sent', sent_at: new Date(clock.now()).toISOString() })
        .execute();
      await g.database.db
        .insertInto('carrier_refs')
        .values({ carrier_id: 'dev', carrier_message_id: 'x-1', recipient_id: row.id })
        .execute();
      await other.dispatchDue();
      const st = await g.call('GET', `/v1/sms/status/${id}/`, { key });
      expect(st.json.data.recipients[0]).toMatchObject({ status: 'sent', error: null });
      expect(await g.database.db.selectFrom('held_reports').selectAll().execute()).toEqual([]);
    } finally {
      await other.close();
      await g.close();
      await fresh.drop();
    }
  });
});

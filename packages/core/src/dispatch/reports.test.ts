import { describe, expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase } from '../../test/databases';
import { createTestGateway, manualClock, TEST_SECRET } from '../../test/harness';
import type { CarrierAdapter, CarrierContext, DeliveryReport } from '../carriers/contract';
import { createMifumo } from '../mifumo';

const send = { message: 'hi', recipients: ['+255754000111'] };

/** A carrier whose receipt overtakes its own submit: it reports before answering with the id. */
function hasty(receipt: Omit<DeliveryReport, 'carrierMessageId'> = { status: 'delivered' }) {
  let ctx: CarrierContext | null = null;
  const outcomes: string[] = [];
  let n = 0;
  const adapter: CarrierAdapter = {
    id: 'dev',
    type: 'hasty',
    start: (c) => {
      ctx = c;
    },
    async submit() {
      const id = `h${++n}`;
      outcomes.push(await ctx!.report({ carrierMessageId: id, ...receipt }));
      return { carrierMessageIds: [id] };
    },
  };
  return { adapter, outcomes };
}

describe('delivery reports that beat their submit', () => {
  it('are held in the database and applied as soon as the submit is stored, without waiting', async () => {
    const c = hasty();
    const g = await createTestGateway({ adapter: c.adapter });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      await g.mifumo.dispatchDue();
      expect(c.outcomes).toEqual(['held']);
      const st = await g.call('GET', `/v1/sms/status/${id}/`);
      expect(st.json.data).toMatchObject({ status: 'delivered', recipients: [{ status: 'delivered' }] });
      expect(await g.database.db.selectFrom('held_reports').selectAll().execute()).toEqual([]);
    } finally {
      await g.close();
    }
  });

  it('a held report saying the subscriber blocks the sender opts the number out when it is applied', async () => {
    const c = hasty({ status: 'failed', errorCode: 'BLOCKED', optedOut: true });
    const g = await createTestGateway({ adapter: c.adapter });
    try {
      await g.call('POST', '/v1/sms/send/', { body: send });
      await g.mifumo.dispatchDue();
      expect(c.outcomes).toEqual(['held']);
      const listed = (await g.call('GET', '/v1/opt-outs/')).json.data.opt_outs;
      expect(listed).toEqual([expect.objectContaining({ phone_number: '+255754000111', source: 'carrier' })]);
      const history = (await g.call('GET', '/v1/opt-outs/%2B255754000111/history/')).json.data.events;
      expect(history).toEqual([expect.objectContaining({ action: 'opted_out', evidence: 'dev: BLOCKED' })]);
      // A report applied at once (its id known) does the same; a repeat logs nothing more.
      await g.mifumo.handleReport('dev', { carrierMessageId: 'h1', status: 'failed', optedOut: true });
      expect((await g.call('GET', '/v1/opt-outs/%2B255754000111/history/')).json.data.events).toHaveLength(1);
    } finally {
      await g.close();
    }
  });

  it('held by another process on the same database: applied by the next dispatchDue there', async () => {
    const clock = manualClock();
    const g = await createTestGateway({ clock });
    const other = createMifumo({
      secret: TEST_SECRET,
      storage: g.database,
      carriers: [g.carrier],
      config: { carriers: [{ id: 'dev', type: 'fake' }] },
      clock,
      logger: { error: () => {} },
    });
    try {
      const id = (await g.call('POST', '/v1/sms/send/', { body: send })).json.data.message_id;
      // The receipt reaches `other` (an HTTP callback, say) before `g` has submitted.
      const report: DeliveryReport = { carrierMessageId: 'x-1', status: 'failed', errorCode: 'EXPIRED' };
      expect(await other.handleReport('dev', report)).toBe('held');
      // `g` submits and the carrier's id turns out to be x-1.
      const row = await g.database.db.selectFrom('recipients').select('id').executeTakeFirstOrThrow();
      await g.database.db
        .insertInto('carrier_refs')
        .values({ carrier_id: 'dev', carrier_message_id: 'x-1', recipient_id: row.id })
        .execute();
      await g.database.db
        .updateTable('recipients')
        .set({ status: 'sent', sent_at: new Date(clock.now()).toISOString() })
        .execute();
      await other.dispatchDue();
      const st = await g.call('GET', `/v1/sms/status/${id}/`);
      expect(st.json.data.recipients[0]).toMatchObject({ status: 'failed', error: { code: 'EXPIRED' } });
    } finally {
      await other.close();
      await g.close();
    }
  });

  it('are dropped and logged once older than reportHoldMs', async () => {
    const clock = manualClock();
    const logged: string[] = [];
    const g = await createTestGateway({ clock, config: { dispatch: { reportHoldMs: 60_000 } } });
    const other = createMifumo({
      secret: TEST_SECRET,
      storage: g.database,
      carriers: [g.carrier],
      config: { carriers: [{ id: 'dev', type: 'fake' }], dispatch: { reportHoldMs: 60_000 } },
      clock,
      logger: { error: (m) => logged.push(m) },
    });
    try {
      expect(await other.handleReport('dev', { carrierMessageId: 'never', status: 'delivered' })).toBe(
        'held',
      );
      clock.advance(30_000);
      await other.dispatchDue();
      expect(await g.database.db.selectFrom('held_reports').selectAll().execute()).toHaveLength(1);
      clock.advance(30_001);
      await other.dispatchDue();
      expect(await g.database.db.selectFrom('held_reports').selectAll().execute()).toEqual([]);
      expect(logged).toEqual(['delivery report for unknown dev message never dropped']);
    } finally {
      await other.close();
      await g.close();
    }
  });
});

describe('a receipt that arrives while its submit is being stored (PostgreSQL)', () => {
  it('is applied, never taken for a duplicate, across many sends', async () => {
    const pg = await freshTestPostgres();
    // The fake carrier reports at once: on PostgreSQL the receipt's own transaction can run while the
    // submit's is still open, and see the carrier id only after it has looked for it.
    const g = await createTestGateway({ storage: openTestDatabase(pg.url), carrier: { deliveryDelayMs: 0 } });
    try {
      for (let i = 0; i < 30; i++) {
        await g.call('POST', '/v1/sms/send/', { body: send });
        await g.mifumo.dispatchDue();
      }
      await g.settle();
      const undelivered = await g.database.db
        .selectFrom('recipients')
        .select('id')
        .where('status', '<>', 'delivered')
        .execute();
      expect(undelivered).toEqual([]);
    } finally {
      await g.close();
      await pg.drop();
    }
  });
});

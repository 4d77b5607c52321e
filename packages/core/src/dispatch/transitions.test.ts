import pg from 'pg';
import { expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase } from '../../test/databases';
import { createTestGateway } from '../../test/harness';

it('a claim passes over recipients another transaction holds instead of waiting for them (PostgreSQL)', async () => {
  const database = await freshTestPostgres();
  const g = await createTestGateway({ storage: openTestDatabase(database.url) });
  const other = new pg.Client(database.url);
  try {
    for (const phone of ['+255754000111', '+255754000222', '+255754000333'])
      await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients: [phone] } });
    await other.connect();
    // Another process's claim, still uncommitted, holds one of them.
    await other.query('begin');
    await other.query(`select id from recipients where phone = '+255754000222' for update`);
    const dispatched = g.mifumo.dispatchDue();
    let settled = false;
    void dispatched.finally(() => {
      settled = true;
    });
    const waiting = `select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`;
    while (!settled) {
      expect((await other.query(waiting)).rows).toEqual([]); // the claim never waits for that row
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(await dispatched).toBe(2);
    await other.query('commit');
    expect(await g.mifumo.dispatchDue()).toBe(1);
  } finally {
    await other.end();
    await g.close();
    await database.drop();
  }
});

it('a claim takes at most its batch, however it is planned (PostgreSQL)', async () => {
  const database = await freshTestPostgres();
  const g = await createTestGateway({
    storage: openTestDatabase(database.url),
    config: { dispatch: { batchSize: 10 } },
  });
  try {
    const recipients = Array.from({ length: 30 }, (_, i) => `+2557540001${String(i).padStart(2, '0')}`);
    await g.call('POST', '/v1/sms/send/', { body: { message: 'hi', recipients } });
    expect(await g.mifumo.dispatchDue({ maxBatches: 1 })).toBe(10);
    expect(await g.mifumo.dispatchDue({ maxBatches: 1 })).toBe(10);
  } finally {
    await g.close();
    await database.drop();
  }
});

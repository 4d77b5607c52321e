import { sql } from 'kysely';
import { greatest, least } from '../storage/greatest';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';
import { chargeCeiling, charged, decide, interval } from './gcra';
import type { RateLimitStore } from './store';

/**
 * State in the `rate_limits` table. A consume is one guarded upsert: the new TAT is written only when
 * it stays within the window, and `RETURNING` says whether it was. No interactive transaction, so it
 * holds on SQLite, PostgreSQL and D1, across processes. `batchTake` is the same upsert for another
 * write's batch, failing it on the table's check instead of writing nothing.
 */
export function kyselyRateLimitStore(store: Store): RateLimitStore {
  const { db } = store;
  const base = (now: unknown) => greatest(sql.ref('rate_limits.tat'), now);

  /**
   * The take as one upsert. Where the new TAT would not fit the window, `refuse` says what happens:
   * `skip` writes nothing and returns no row; `fail` writes -1, which the `rate_limits_within` check
   * refuses, failing the batch it is in.
   */
  const upsert = (refuse: 'skip' | 'fail') =>
    queryTemplate(['key', 'first', 'now', 'step', 'window'], (p) => {
      const next = sql<number>`${base(p.now)} + ${p.step}`;
      const fits = sql<boolean>`${next} - ${p.now} <= ${p.window}`;
      return db
        .insertInto('rate_limits')
        .values({ key: p.key, tat: p.first })
        .onConflict((oc) =>
          refuse === 'skip'
            ? oc.column('key').doUpdateSet({ tat: next }).where(fits)
            : oc.column('key').doUpdateSet({ tat: sql`CASE WHEN ${fits} THEN ${next} ELSE -1 END` }),
        )
        .returning('tat');
    });
  const take = upsert('skip');
  const takeOrFail = upsert('fail');
  /** The take that moves the TAT on whether or not it fits, never past `ceiling`. */
  const chargeUpsert = queryTemplate(['key', 'first', 'now', 'step', 'ceiling'], (p) => {
    const next = sql<number>`${base(p.now)} + ${p.step}`;
    return db
      .insertInto('rate_limits')
      .values({ key: p.key, tat: p.first })
      .onConflict((oc) => oc.column('key').doUpdateSet({ tat: least(next, p.ceiling) }))
      .returning('tat');
  });
  const giveBack = queryTemplate(['key', 'now', 'step'], (p) =>
    db
      .updateTable('rate_limits')
      .set({ tat: greatest(sql`tat - ${p.step}`, p.now) })
      .where('key', '=', p.key),
  );

  async function stored(key: string): Promise<number | null> {
    const row = await db.selectFrom('rate_limits').select('tat').where('key', '=', key).executeTakeFirst();
    return row ? Number(row.tat) : null;
  }

  return {
    async consume(key, cost, rule, now) {
      if (cost <= rule.limit) {
        const step = cost * interval(rule);
        const [result] = await store.atomic([
          take({ key, first: now + step, now, step, window: rule.windowMs }),
        ]);
        const row = result?.rows[0] as { tat: number } | undefined;
        if (row) return decide(Number(row.tat), now, 0, rule); // taken: describe the stored TAT
      }
      return decide(await stored(key), now, cost, rule);
    },
    batchTake(key, cost, rule, now) {
      const step = cost * interval(rule);
      return {
        statement: takeOrFail({ key, first: now + step, now, step, window: rule.windowMs }),
        refusedBy: (error) => store.violates(error, { kind: 'check', constraint: 'rate_limits_within' }),
      };
    },
    async charge(key, cost, rule, maxWaitMs, now) {
      if (cost > rule.limit) return decide(await stored(key), now, cost, rule);
      const step = cost * interval(rule);
      const ceiling = chargeCeiling(now, cost, rule, maxWaitMs);
      const [result] = await store.atomic([
        chargeUpsert({ key, first: Math.min(now + step, ceiling), now, step, ceiling }),
      ]);
      return charged(Number((result!.rows[0] as { tat: number }).tat), now, cost, rule);
    },
    async peek(key, cost, rule, now) {
      return decide(await stored(key), now, cost, rule);
    },
    async refund(key, cost, rule, now) {
      await store.atomic([giveBack({ key, now, step: cost * interval(rule) })]);
    },
    async prune(now) {
      const whole = db.selectFrom('rate_limits').select('key').where('tat', '<=', now);
      const result = await db
        .deleteFrom('rate_limits')
        .where((eb) =>
          store.skipLocked
            ? // A key a transaction is taking from is in use, not whole again: passed over, not waited
              // for (waiting for it, holding keys deleted already, deadlocked with sends). The keys are
              // taken once (an array), not by a locking subquery run again per row.
              sql<boolean>`key = any(array(${whole.forUpdate().skipLocked()}))`
            : eb('tat', '<=', now),
        )
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import { expect, it } from 'vitest';
import type { Database } from './schema';
import { queryTemplate } from './template';

const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (d) => new SqliteIntrospector(d),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

it('binds new values in the placeholders’ positions and keeps constants', () => {
  const update = queryTemplate(['id', 'amount', 'at'], (p) =>
    db
      .updateTable('accounts')
      .set({ balance: sql`balance + ${p.amount}`, updated_at: p.at })
      .where('id', '=', p.id)
      .where('currency', 'in', ['TZS', 'KES']),
  );
  const q = update({ id: 'acc_1', amount: -10, at: 'now' });
  const direct = db
    .updateTable('accounts')
    .set({ balance: sql`balance + ${-10}`, updated_at: 'now' })
    .where('id', '=', 'acc_1')
    .where('currency', 'in', ['TZS', 'KES'])
    .compile();
  expect(q.sql).toBe(direct.sql);
  expect(q.parameters).toEqual(direct.parameters);
  expect(update({ id: 'acc_2', amount: 5, at: 'later' }).parameters).toEqual([
    5,
    'later',
    'acc_2',
    'TZS',
    'KES',
  ]);
});

import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { openTestDatabase } from '../../test/databases';
import { createMigrator, migrateToLatest } from './migrations';

it('0006 folds the names of contacts stored before it; 0007 starts every account at contacts version 0', async () => {
  const database = openTestDatabase();
  try {
    const { error } = await createMigrator(database.db).migrateTo('0005_held_reports');
    expect(error).toBeUndefined();
    await sql`insert into accounts (id, name, balance, currency, created_at, updated_at)
      values ('acc_1', 'A', 0, 'TZS', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    await sql`insert into contacts (id, account_id, name, phone, email, is_active, created_at, updated_at)
      values ('ct_1', 'acc_1', 'ŞEKER Élodie', '+255754000111', 'E@X.TZ', 1, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    await migrateToLatest(database.db);
    const contact = await database.db
      .selectFrom('contacts')
      .select(['search_name', 'search_email'])
      .executeTakeFirst();
    expect(contact).toEqual({ search_name: 'seker elodie', search_email: 'e@x.tz' });
    const account = await database.db.selectFrom('accounts').select('contacts_version').executeTakeFirst();
    expect(account).toEqual({ contacts_version: 0 });
  } finally {
    await database.close();
  }
});

it('0027 keeps the sender IDs stored before it approved for every operator, decided when they were added', async () => {
  const database = openTestDatabase();
  try {
    const { error } = await createMigrator(database.db).migrateTo('0026_inbound_conversations');
    expect(error).toBeUndefined();
    await sql`insert into accounts (id, name, balance, currency, created_at, updated_at)
      values ('acc_1', 'A', 0, 'TZS', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`.execute(
      database.db,
    );
    await sql`insert into sender_ids (account_id, sender_id, created_at)
      values ('acc_1', 'DUKA', '2024-02-01T00:00:00.000Z')`.execute(database.db);
    await migrateToLatest(database.db);
    const row = await database.db.selectFrom('sender_ids').selectAll().executeTakeFirst();
    expect(row).toEqual({
      account_id: 'acc_1',
      sender_id: 'DUKA',
      created_at: '2024-02-01T00:00:00.000Z',
      status: 'approved',
      reason: null,
      decided_at: '2024-02-01T00:00:00.000Z',
      use: null,
      note: null,
    });
    expect(await database.db.selectFrom('sender_id_operators').selectAll().execute()).toEqual([]);
  } finally {
    await database.close();
  }
});

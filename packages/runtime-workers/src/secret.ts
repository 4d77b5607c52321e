import type { Database } from '@mifumo/core';
import type { Kysely } from 'kysely';

const NAME = 'server_secret';

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * The server secret when `MIFUMO_SECRET` is not set: made once and kept in the database (any isolate
 * that races to make it reads back the one that was stored). Fine for development; in production set
 * `MIFUMO_SECRET`, so the secret does not sit beside what it protects.
 */
export async function storedSecret(db: Kysely<Database>): Promise<string> {
  await db
    .insertInto('runtime_settings')
    .values({ name: NAME, value: randomSecret() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('runtime_settings')
    .select('value')
    .where('name', '=', NAME)
    .executeTakeFirstOrThrow();
  return row.value;
}

import type { D1Database } from '@cloudflare/workers-types';
import { type StorageDriver, sqliteViolation } from '@mifumo/core';
import { Kysely, type QueryResult } from 'kysely';
import { D1Dialect } from './d1-dialect';

/**
 * D1 as the core's storage: Kysely on the binding (d1-dialect.ts), and the core's atomic writes as one
 * `D1Database.batch()` of the statements Kysely compiled (D1 runs a batch as one transaction and rolls
 * all of it back when one statement fails). D1 binds at most 100 parameters per statement.
 */
export function d1Driver(database: D1Database): StorageDriver {
  const db = new Kysely({ dialect: new D1Dialect(database) });
  return {
    db,
    maxBindParams: 100,
    violation: sqliteViolation,
    async atomic(queries) {
      const results = await database.batch(
        queries.map((q) => database.prepare(q.sql).bind(...(q.parameters as unknown[]))),
      );
      return results.map(
        (r): QueryResult<unknown> => ({
          rows: (r.results ?? []) as unknown[],
          numAffectedRows: BigInt(r.meta?.changes ?? 0),
        }),
      );
    },
  };
}

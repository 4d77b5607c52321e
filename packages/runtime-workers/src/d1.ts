import type { D1Database } from '@cloudflare/workers-types';
import { type StorageDriver, sqliteViolation } from '@mifumo/core';
import {
  type DatabaseIntrospector,
  type DatabaseMetadata,
  Kysely,
  type QueryResult,
  type SchemaMetadata,
  sql,
  type TableMetadata,
} from 'kysely';
import { D1Dialect } from 'kysely-d1';

/**
 * Lists tables without D1's own `_cf_*` tables, which D1 does not let a Worker inspect (Kysely's SQLite
 * introspector would, and the migrator's first look fails with SQLITE_AUTH). The migrator only needs
 * the names.
 */
class D1Introspector implements DatabaseIntrospector {
  // biome-ignore lint/suspicious/noExplicitAny: introspection reads the catalogue, not the core's tables
  constructor(private readonly db: Kysely<any>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    return [];
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; type: string }>`
      select name, type from sqlite_master
      where type in ('table', 'view') and substr(name, 1, 7) <> 'sqlite_' and substr(name, 1, 4) <> '_cf_'
    `.execute(this.db);
    return rows.map((r) => ({ name: r.name, isView: r.type === 'view', columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

class MifumoD1Dialect extends D1Dialect {
  // biome-ignore lint/suspicious/noExplicitAny: as D1Dialect declares it
  override createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new D1Introspector(db);
  }
}

/**
 * D1 as the core's storage: Kysely through `kysely-d1`, and the core's atomic writes as one
 * `D1Database.batch()` of the statements Kysely compiled (D1 runs a batch as one transaction and rolls
 * all of it back when one statement fails). D1 binds at most 100 parameters per statement.
 */
export function d1Driver(database: D1Database): StorageDriver {
  // kysely-d1 declares its own structural D1 type; the binding is that.
  const db = new Kysely({ dialect: new MifumoD1Dialect({ database: database as never }) });
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

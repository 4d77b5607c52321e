import type { D1Database } from '@cloudflare/workers-types';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type DatabaseMetadata,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type SchemaMetadata,
  SqliteAdapter,
  SqliteQueryCompiler,
  sql,
  type TableMetadata,
} from 'kysely';

const NO_TRANSACTIONS =
  'D1 has no interactive transactions: write all-or-nothing through the storage driver’s atomic (one D1 batch)';

/** Each query one D1 statement; its result as Kysely reads it: rows, changes, the last row id. */
class D1Connection implements DatabaseConnection {
  constructor(private readonly database: D1Database) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { results, meta } = await this.database
      .prepare(query.sql)
      .bind(...query.parameters)
      .all<R>();
    return {
      rows: results ?? [],
      numAffectedRows: BigInt(meta.changes ?? 0),
      ...(meta.last_row_id == null ? {} : { insertId: BigInt(meta.last_row_id) }),
    };
  }

  // biome-ignore lint/correctness/useYield: D1 answers a query whole, it cannot stream one
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('D1 cannot stream a query’s results');
  }
}

/** D1 needs no pool: every connection is the binding itself. */
class D1Driver implements Driver {
  constructor(private readonly database: D1Database) {}
  async init() {}
  async acquireConnection(): Promise<DatabaseConnection> {
    return new D1Connection(this.database);
  }
  async beginTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async commitTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async rollbackTransaction(): Promise<void> {
    throw new Error(NO_TRANSACTIONS);
  }
  async releaseConnection() {}
  async destroy() {}
}

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

/** Kysely on a D1 binding: SQLite's SQL, each query one D1 statement. */
export class D1Dialect implements Dialect {
  constructor(private readonly database: D1Database) {}
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new D1Driver(this.database);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  // biome-ignore lint/suspicious/noExplicitAny: as Kysely's Dialect declares it
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new D1Introspector(db);
  }
}

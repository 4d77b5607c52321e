import type { CompiledQuery, Kysely, QueryResult } from 'kysely';

/** Runs compiled statements all-or-nothing: a transaction on SQLite and PostgreSQL, `batch()` on D1. */
export type AtomicExecutor = (queries: readonly CompiledQuery[]) => Promise<QueryResult<unknown>[]>;

/** How one batch of a group commit ended: its results, or why it was refused. */
export type BatchOutcome = { ok: QueryResult<unknown>[] } | { error: unknown };

/** A constraint a write broke, as the engine reported it. */
export interface ConstraintViolation {
  kind: 'unique' | 'check' | 'foreign_key';
  /** The table, where the engine names it (PostgreSQL; SQLite's UNIQUE message). */
  table: string | null;
  /** The constraint, where the engine names it (PostgreSQL; SQLite's CHECK message). */
  constraint: string | null;
}

/**
 * What a runtime hands the core for one database, like a Kysely `Dialect`: everything engine-specific
 * the core needs, and nothing more. The core wraps it once (`createStore`). Implementations: SQLite
 * (`sqliteDriver`), PostgreSQL (`postgresDriver`), D1 (the Workers runtime).
 */
export interface StorageDriver {
  /** The Kysely instance; run `migrateToLatest` on it before `createMifumo`. */
  // biome-ignore lint/suspicious/noExplicitAny: the driver does not know the core's table types
  readonly db: Kysely<any>;
  /** All-or-nothing execution of several statements, without an interactive transaction on engines that lack one. */
  readonly atomic: AtomicExecutor;
  /** Most parameters one statement may bind (SQLite 32766, PostgreSQL 65535, D1 100). */
  readonly maxBindParams: number;
  /**
   * The engine locks rows and can pass over those another transaction holds (`SELECT … FOR UPDATE SKIP
   * LOCKED`: PostgreSQL), so concurrent claims take different rows instead of waiting for each other.
   * SQLite and D1 write one transaction at a time and have neither.
   */
  readonly skipLocked?: boolean;
  /** Reads a unique, check or foreign-key violation from an error the driver threw; null for any other error. */
  violation(error: unknown): ConstraintViolation | null;
}

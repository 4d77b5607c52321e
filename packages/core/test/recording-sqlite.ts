import BetterSqlite3 from 'better-sqlite3';
import { sqliteDriver } from '../src/index';

/**
 * An in-memory SQLite driver (as `openTestDatabase()` opens) that records every statement it runs, in
 * order: its SQL in `statements`, and in `runs` with the rows it returned (`all` or `get`; 0 for the
 * others): for tests of which statements a request makes and how much each reads, not of how long they take.
 */
export function recordingSqlite() {
  const statements: string[] = [];
  const runs: { sql: string; rows: number }[] = [];
  const sqlite = new BetterSqlite3(':memory:');
  sqlite.pragma('foreign_keys = ON');
  const client = new Proxy(sqlite, {
    get(target, property) {
      if (property !== 'prepare') {
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) =>
        new Proxy(target.prepare(sql), {
          get(statement, name) {
            const value = Reflect.get(statement, name);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (!['all', 'get', 'run', 'iterate'].includes(String(name)))
                return value.apply(statement, args);
              statements.push(sql);
              const result = value.apply(statement, args);
              runs.push({
                sql,
                rows: Array.isArray(result) ? result.length : name === 'get' && result ? 1 : 0,
              });
              return result;
            };
          },
        });
    },
  });
  /** How SQLite would run `sql` (EXPLAIN QUERY PLAN, its parameters bound to null): the lines of its plan. */
  const plan = (sql: string) => {
    const statement = sqlite.prepare(`explain query plan ${sql}`);
    const parameters = Array.from({ length: (sql.match(/\?/g) ?? []).length }, () => null);
    return (statement.all(...parameters) as { detail: string }[]).map((r) => r.detail);
  };
  return { storage: sqliteDriver(client, { defer: setImmediate }), statements, runs, plan };
}

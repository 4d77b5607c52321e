import BetterSqlite3 from 'better-sqlite3';
import { sqliteDriver } from '../src/index';

/**
 * An in-memory SQLite driver (as `openTestDatabase()` opens) that records the SQL of every statement
 * it runs, in order: for tests of which statements a request makes, not of how long they take.
 */
export function recordingSqlite() {
  const statements: string[] = [];
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
              if (['all', 'get', 'run', 'iterate'].includes(String(name))) statements.push(sql);
              return value.apply(statement, args);
            };
          },
        });
    },
  });
  return { storage: sqliteDriver(client, { defer: setImmediate }), statements };
}

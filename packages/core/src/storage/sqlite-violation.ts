import type { ConstraintViolation } from './driver';

const UNIQUE = /UNIQUE constraint failed: ([A-Za-z_][\w]*)\./;
const CHECK = /CHECK constraint failed: ([A-Za-z_][\w]*)/;

/**
 * SQLite names a broken constraint only in its message (better-sqlite3 and D1 alike):
 * `UNIQUE constraint failed: contacts.account_id, contacts.phone`, `CHECK constraint failed: <name>`,
 * `FOREIGN KEY constraint failed`.
 */
export function sqliteViolation(error: unknown): ConstraintViolation | null {
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message !== 'string') return null;
  const unique = UNIQUE.exec(message);
  if (unique) return { kind: 'unique', table: unique[1]!, constraint: null };
  const check = CHECK.exec(message);
  if (check) return { kind: 'check', table: null, constraint: check[1]! };
  if (message.includes('FOREIGN KEY constraint failed'))
    return { kind: 'foreign_key', table: null, constraint: null };
  return null;
}

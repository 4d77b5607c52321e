import { describe, expect, it } from 'vitest';
import { sqliteViolation } from './sqlite-violation';

describe('sqliteViolation', () => {
  it.each([
    [
      'UNIQUE constraint failed: contacts.account_id, contacts.phone',
      { kind: 'unique', table: 'contacts', constraint: null },
    ],
    [
      'D1_ERROR: UNIQUE constraint failed: idempotency_keys.account_id, idempotency_keys.key: SQLITE_CONSTRAINT',
      { kind: 'unique', table: 'idempotency_keys', constraint: null },
    ],
    [
      'CHECK constraint failed: accounts_balance_nonnegative',
      { kind: 'check', table: null, constraint: 'accounts_balance_nonnegative' },
    ],
    ['FOREIGN KEY constraint failed', { kind: 'foreign_key', table: null, constraint: null }],
  ])('%s', (message, expected) => {
    expect(sqliteViolation(new Error(message))).toEqual(expected);
  });

  it('is null for other errors and for non-errors', () => {
    expect(sqliteViolation(new Error('no such table: t'))).toBeNull();
    expect(sqliteViolation('UNIQUE constraint failed: t.a')).toBeNull();
    expect(sqliteViolation(null)).toBeNull();
  });
});

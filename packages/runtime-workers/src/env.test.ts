import type { D1Database } from '@cloudflare/workers-types';
import { expect, it } from 'vitest';
import { readWorkerSettings } from './env';

const DB = { prepare() {} } as unknown as D1Database;

it('takes a MIFUMO_ADMIN_KEY only of the form of the keys the gateway makes, 16 random characters at least', () => {
  const key = `mk_live_${'A1b2'.repeat(10)}`;
  expect(readWorkerSettings({ DB, MIFUMO_ADMIN_KEY: key }, 'DB', undefined).adminKey).toBe(key);
  expect(readWorkerSettings({ DB }, 'DB', undefined).adminKey).toBeUndefined();
  for (const bad of ['a', 'mk_dev_change_me_0123456789abcdef'])
    expect(() => readWorkerSettings({ DB, MIFUMO_ADMIN_KEY: bad }, 'DB', undefined)).toThrow(
      /^MIFUMO_ADMIN_KEY must be `mk_`, a lower-case label and `_`/,
    );
});

it('takes a MIFUMO_OPERATOR_KEY of the same form, and none by default', () => {
  const key = `mk_op_${'A1b2'.repeat(5)}`;
  expect(readWorkerSettings({ DB, MIFUMO_OPERATOR_KEY: key }, 'DB', undefined).operatorKey).toBe(key);
  expect(readWorkerSettings({ DB }, 'DB', undefined).operatorKey).toBeUndefined();
  expect(() => readWorkerSettings({ DB, MIFUMO_OPERATOR_KEY: 'letmein' }, 'DB', undefined)).toThrow(
    /^MIFUMO_OPERATOR_KEY must be `mk_`/,
  );
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { nodeCarriers } from './carriers';
import { loadConfigFile, readSettings } from './settings';

const file = (content: string) => {
  const path = join(mkdtempSync(join(tmpdir(), 'mifumo-cfg-')), 'config.json');
  writeFileSync(path, content);
  return path;
};

it('reads the defaults of DESIGN.md', () => {
  expect(readSettings({})).toMatchObject({
    port: 8001,
    host: '127.0.0.1',
    databaseUrl: 'file:./data/mifumo.db',
    adminKey: undefined,
    initialBalance: 5000,
    secret: { value: undefined, file: 'data/mifumo.secret' },
  });
});

it('keeps the server secret beside the SQLite database, or where MIFUMO_SECRET_FILE says; checks MIFUMO_SECRET', () => {
  expect(readSettings({ DATABASE_URL: 'file:/srv/sms/m.db' }).secret.file).toBe('/srv/sms/mifumo.secret');
  expect(readSettings({ DATABASE_URL: 'postgres://h/db' }).secret.file).toBe('data/mifumo.secret');
  expect(readSettings({ MIFUMO_SECRET_FILE: '/etc/mifumo/key' }).secret.file).toBe('/etc/mifumo/key');
  const hex = 'f'.repeat(64);
  expect(readSettings({ MIFUMO_SECRET: hex }).secret.value).toBe(hex);
  expect(() => readSettings({ MIFUMO_SECRET: 'hunter2' })).toThrow(/MIFUMO_SECRET must be 32 bytes/);
});

it('takes a MIFUMO_ADMIN_KEY only of the form of the keys the gateway makes, 16 random characters at least', () => {
  for (const key of [`mk_live_${'A1b2'.repeat(10)}`, 'mk_check_k2x9q0w8e7r6t5y4u3'])
    expect(readSettings({ MIFUMO_ADMIN_KEY: key }).adminKey).toBe(key);
  for (const short of ['a', 'mk_live_short', `live_${'A1b2'.repeat(10)}`, `mk_live_${'A1b2'.repeat(10)}!`])
    expect(() => readSettings({ MIFUMO_ADMIN_KEY: short })).toThrow(
      /^MIFUMO_ADMIN_KEY must be `mk_`, a lower-case label and `_`/,
    );
});

it('names the bad field of a config file', () => {
  expect(() => loadConfigFile(file('{"pricing": {"perSegment": "ten"}}'))).toThrow(/pricing\.perSegment/);
  expect(() => loadConfigFile(file('{"limits": {"smsPerMinute": -1}}'))).toThrow(/limits\.smsPerMinute/);
  expect(() => loadConfigFile(file('{ nope'))).toThrow(/not valid JSON/);
  expect(() => loadConfigFile('/nonexistent/config.json')).toThrow(/cannot read/);
  expect(() => readSettings({ PORT: 'abc' })).toThrow(/PORT/);
  expect(() => readSettings({ MIFUMO_INITIAL_BALANCE: '-1' })).toThrow(/MIFUMO_INITIAL_BALANCE/);
  expect(() => readSettings({ MIFUMO_INITIAL_BALANCE: '92233720368547758.07' })).toThrow(
    /MIFUMO_INITIAL_BALANCE/,
  );
});

it('builds the fake carrier from config and names an unknown type or a bad field', () => {
  const ok = loadConfigFile(file('{"carriers": [{"id": "dev", "type": "fake", "deliveryDelayMs": 5}]}'));
  expect(nodeCarriers(ok).map((c) => c.id)).toEqual(['dev']);
  const unknown = loadConfigFile(file('{"carriers": [{"id": "x", "type": "carrier-pigeon"}]}'));
  expect(() => nodeCarriers(unknown)).toThrow(/carriers\.0\.type: unknown carrier type "carrier-pigeon"/);
  const bad = loadConfigFile(file('{"carriers": [{"id": "x", "type": "fake", "failureRate": 2}]}'));
  expect(() => nodeCarriers(bad)).toThrow(/carriers\.0\.failureRate/);
});

it('takes a MIFUMO_OPERATOR_KEY of the API keys’ form, and none by default', () => {
  const key = `mk_op_${'A1b2'.repeat(5)}`;
  expect(readSettings({ MIFUMO_OPERATOR_KEY: key }).operatorKey).toBe(key);
  expect(readSettings({}).operatorKey).toBeUndefined();
  expect(() => readSettings({ MIFUMO_OPERATOR_KEY: 'letmein' })).toThrow(
    /^MIFUMO_OPERATOR_KEY must be `mk_`/,
  );
});

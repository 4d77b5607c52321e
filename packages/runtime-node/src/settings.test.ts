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
  });
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

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configSchema, type MifumoConfigInput } from '@mifumo/core';
import { startGateway } from '../gateway';
import { freshPostgres } from './postgres';

/** A fresh database of each engine: a temporary SQLite file, or a new PostgreSQL database. */
export const ENGINES: [string, () => Promise<{ url: string; drop: () => Promise<void> }>][] = [
  [
    'SQLite',
    async () => ({
      url: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-smpp-')), 'gw.db')}`,
      drop: async () => {},
    }),
  ],
  ['PostgreSQL', freshPostgres],
];

/**
 * A gateway on `databaseUrl`, its account reached with the admin `key` (balance 10,000), bound over
 * TCP as carrier `smsc` to the SMSC simulator on `port`; `carrier` and `config` add to that carrier's
 * settings and the configuration. `call` is the API as that key (or another `as`).
 */
export async function smppGateway(options: {
  port: number;
  databaseUrl: string;
  key: string;
  logged?: string[];
  carrier?: Record<string, unknown>;
  config?: Omit<MifumoConfigInput, 'carriers'>;
  dispatchIntervalMs?: number;
}) {
  const { key, logged = [] } = options;
  const dir = mkdtempSync(join(tmpdir(), 'mifumo-smpp-'));
  const gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: options.databaseUrl,
      adminKey: key,
      initialBalance: 10_000,
      config: configSchema.parse({
        ...options.config,
        carriers: [
          {
            id: 'smsc',
            type: 'smpp',
            host: '127.0.0.1',
            port: options.port,
            systemId: 'mifumo',
            password: 'secret',
            reconnectMinMs: 50,
            ...options.carrier,
          },
        ],
      }),
      secret: { value: undefined, file: join(dir, 'gw.secret') },
    },
    {
      logger: { error: (m) => logged.push(m) },
      ...(options.dispatchIntervalMs === undefined ? {} : { dispatchIntervalMs: options.dispatchIntervalMs }),
    },
  );
  const call = async (method: string, path: string, body?: unknown, as = key) =>
    (
      await fetch(`${gw.url}/api/integration${path}`, {
        method,
        headers: { Authorization: `Bearer ${as}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    ).json();
  return { gw, call };
}

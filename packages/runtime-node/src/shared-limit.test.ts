import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, NODE_MAIN, startProcess, tempDir, writeConfig } from '../test/process';
import { freshPostgres } from './testing';

const KEY = 'mk_live_sharedlimit0123456789abcdef0123456789abc';

/** Two gateway processes on one database; 300 requests spread over both against a limit of 100. */
async function twoProcessesShareOneLimit(databaseUrl: string) {
  const dir = tempDir();
  const config = writeConfig(dir, 'limits.json', { limits: { apiCallsPerHour: 100 } });
  const env = { DATABASE_URL: databaseUrl, MIFUMO_ADMIN_KEY: KEY, MIFUMO_CONFIG: config };
  const a = await startProcess(NODE_MAIN, env, await freePort()); // bootstraps the key
  const b = await startProcess(NODE_MAIN, env, await freePort());
  try {
    const statuses = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        fetch(`${(i % 2 ? a : b).base}/v1/sms/balance/`, {
          headers: { Authorization: `Bearer ${KEY}` },
        }).then((r) => r.status),
      ),
    );
    return {
      ok: statuses.filter((s) => s === 200).length,
      limited: statuses.filter((s) => s === 429).length,
    };
  } finally {
    for (const p of [a, b]) process.kill(-p.child.pid!, 'SIGTERM');
    await Promise.all([a.exited, b.exited]);
  }
}

describe('one limit shared by two gateway processes', () => {
  it('on one SQLite file: exactly 100 of 300 pass', async () => {
    // The two readiness probes (unauthenticated) take nothing from the limit.
    expect(await twoProcessesShareOneLimit(`file:${join(tempDir(), 'shared.db')}`)).toEqual({
      ok: 100,
      limited: 200,
    });
  });

  it('on PostgreSQL: exactly 100 of 300 pass', async () => {
    const pg = await freshPostgres();
    try {
      expect(await twoProcessesShareOneLimit(pg.url)).toEqual({ ok: 100, limited: 200 });
    } finally {
      await pg.drop();
    }
  });
});

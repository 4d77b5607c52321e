import { startSmsc } from '@mifumo/adapters/smpp';
import { describe, expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, type Running, startProcess, tempDir, writeConfig } from '../test/process';
import { ENGINES } from './testing/smpp-gateway';

const ADMIN = 'mk_live_pacingadmin0123456789abcdef0123456789ab';
/** The SMSC's agreed rate, for the three processes together. */
const RATE = 20;
const PER_PROCESS = 40;
/** Above the rate by this much in some second is a failure: room for a loaded 2-core machine's timers. */
const TOLERANCE = 1.2;
const ESME_RSYSERR = 0x08;

/** The most submits within any one second (a window starting at any of them). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((x, y) => x - y);
  let most = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= 1000) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('three gateway processes on one %s database, one SMSC', (_engine, fresh) => {
  it('submit together at its submitsPerSecond, never more in any second; a circuit one of them opens is open in all', async () => {
    const database = await fresh();
    const smsc = await startSmsc({ receiptDelayMs: 10 });
    const dir = tempDir();
    const processes: Running[] = [];
    /** Process `i` binds as system_id `p<i>`, so the SMSC tells their submits apart. */
    const start = async (i: number) => {
      const config = {
        carriers: [
          {
            id: 'smsc',
            type: 'smpp',
            host: '127.0.0.1',
            port: smsc.port,
            systemId: `p${i}`,
            password: 'secret',
            submitsPerSecond: RATE,
            reconnectMinMs: 50,
          },
        ],
        limits: { smsPerMinute: 1_000_000, apiCallsPerHour: 10_000_000 },
        // Small batches, so that each process keeps coming back for more rather than one taking all;
        // one failure opens the circuit, for long enough to look at it.
        dispatch: { batchSize: 10, breakerFailures: 1, breakerCooldownMs: 600_000 },
      };
      const p = await startProcess(
        NODE_MAIN,
        {
          DATABASE_URL: database.url,
          MIFUMO_ADMIN_KEY: ADMIN,
          MIFUMO_INITIAL_BALANCE: '1000000',
          MIFUMO_SECRET: 'cd'.repeat(32),
          MIFUMO_CONFIG: writeConfig(dir, `p${i}.json`, config),
        },
        await freePort(),
      );
      processes.push(p);
      return p;
    };
    const call = async (p: Running, method: string, path: string, body?: unknown) =>
      (
        await fetch(`${p.base}${path}`, {
          method,
          headers: { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      ).json();
    const received = () => [...smsc.submitsPerSecond.values()].reduce((n, c) => n + c, 0);
    try {
      const first = await start(0); // bootstraps the account; the others find its key
      const all = [first, ...(await Promise.all([start(1), start(2)]))];

      // Each process is sent its share; all three dispatch from the one queue.
      await Promise.all(
        all.map((p, i) =>
          call(p, 'POST', '/v1/sms/send/', {
            message: `paced ${i}`,
            recipients: Array.from(
              { length: PER_PROCESS },
              (_, j) => `+255754${String(i * 1000 + j).padStart(6, '0')}`,
            ),
          }),
        ),
      );
      const total = PER_PROCESS * all.length;
      await poll(
        async () => smsc.submits.length,
        (n) => n >= total,
        120_000,
      );
      expect(smsc.submits).toHaveLength(total);
      expect(new Set(smsc.submits.map((s) => s.systemId))).toEqual(new Set(['p0', 'p1', 'p2']));
      expect(busiestSecond(smsc.submits.map((s) => s.at))).toBeLessThanOrEqual(RATE * TOLERANCE);
      expect(Math.max(...smsc.submitsPerSecond.values())).toBeLessThanOrEqual(RATE * TOLERANCE);

      // The SMSC fails one submit: the process that made it opens the carrier's circuit, and is killed.
      smsc.inject({ kind: 'error', status: ESME_RSYSERR });
      const before = received();
      await call(first, 'POST', '/v1/sms/send/', { message: 'fails', recipients: ['+255754999000'] });
      await poll(
        async () => received(),
        (n) => n > before,
        30_000,
      );
      // It logs the carrier unavailable with the SMSC's error (asking the others' API would have them
      // read the circuit, which is for their dispatch to do here).
      const opener = await poll(
        async () => all.findIndex((p) => p.output().includes('ESME_RSYSERR')),
        (i) => i >= 0,
        30_000,
      );
      expect(opener).toBeGreaterThanOrEqual(0);
      process.kill(-all[opener]!.child.pid!, 'SIGKILL');
      await all[opener]!.exited;
      // The other two never saw a submit fail: they skip the carrier only because it is open for all.
      const others = all.filter((_, i) => i !== opener);
      await sleep(1500); // past the second within which a process may not have read it yet
      const skipped = await Promise.all(
        others.map((p, i) =>
          call(p, 'POST', '/v1/sms/send/', { message: `skipped ${i}`, recipients: [`+25575499900${i + 1}`] }),
        ),
      );
      for (const [i, p] of others.entries()) {
        // Its dispatch found no carrier to take it: queued, waiting, the SMSC not asked.
        const status = await poll(
          () => call(p, 'GET', `/v1/sms/status/${skipped[i].data.message_id}/`),
          (s) => s.data.recipients[0].error?.code === 'CARRIER_UNAVAILABLE',
          30_000,
        );
        expect(status.data).toMatchObject({
          status: 'queued',
          recipients: [{ error: { code: 'CARRIER_UNAVAILABLE' } }],
        });
        const carriers = await call(p, 'GET', '/v1/carriers/');
        expect(carriers.data.carriers[0]).toMatchObject({
          id: 'smsc',
          state: 'breaker_open',
          last_error: null,
        });
      }
      expect(received()).toBe(before + 1); // none of them went to the SMSC
    } finally {
      for (const p of processes)
        if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-p.child.pid!, 'SIGKILL');
      await smsc.close();
      await database.drop();
    }
  }, 300_000);
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { freePort, NODE_MAIN, poll, type Running, startProcess, tempDir, writeConfig } from '../test/process';
import { freshPostgres } from './testing';

const MESSAGES = 1000;
// Sends at once: enough to keep the three processes busy, not so many that they are saturated, which on a
// loaded machine holds their submits past the dispatcher's budget (half the claim) until the breaker
// opens and recipients fail: that is overload, not the crash this test is about.
const SENDERS = 6;
const ADMIN = 'mk_live_fleetadmin0123456789abcdef0123456789abcd';

/**
 * The carrier all three processes submit to, counting at the carrier: it de-duplicates on our
 * recipient reference (as aggregators that take a client reference do), so a submit repeated after a
 * crash gets the first answer instead of a second message. Once `hold` is called, submits to the
 * `/held` URL are taken (and counted) but not answered: `held` resolves with the first of them.
 */
async function countingCarrier() {
  const accepted = new Map<string, string>();
  let calls = 0;
  let holding = false;
  let heldOne: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    heldOne = resolve;
  });
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const { reference } = JSON.parse(body) as { reference: string };
    calls++;
    if (!accepted.has(reference)) accepted.set(reference, `c-${accepted.size + 1}`);
    if (holding && req.url === '/held') {
      heldOne();
      return; // no answer: the process that sent it is killed while it waits
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message_id: accepted.get(reference) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/send`,
    heldUrl: `${base}/held`,
    accepted,
    calls: () => calls,
    hold() {
      holding = true;
      return held;
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

it('three processes on one PostgreSQL database, one killed with SIGKILL while the carrier holds its submits, and restarted: every recipient reaches the carrier once, none lost, the balance exact', async () => {
  const pg = await freshPostgres();
  const carrier = await countingCarrier();
  const dir = tempDir();
  const config = (url: string) => ({
    carriers: [
      {
        id: 'agg',
        type: 'http',
        url,
        body: { to: '{{to}}', text: '{{text}}', reference: '{{id}}' },
        idPath: 'message_id',
      },
    ],
    limits: { smsPerMinute: 1_000_000, apiCallsPerHour: 10_000_000 },
    // Claims long enough that a loaded machine never lets a live process's claim lapse (a lapsed claim is
    // submitted again by another process): only the killed process's claims are taken over.
    dispatch: { claimTimeoutMs: 10_000, batchSize: 10 },
  });
  const env = {
    DATABASE_URL: pg.url,
    MIFUMO_ADMIN_KEY: ADMIN,
    MIFUMO_INITIAL_BALANCE: String(MESSAGES * 10 + 1000),
    MIFUMO_SECRET: 'ef'.repeat(32),
    MIFUMO_CONFIG: writeConfig(dir, 'fleet.json', config(carrier.url)),
  };
  // The process to be killed submits to the URL the carrier holds.
  const victimEnv = { ...env, MIFUMO_CONFIG: writeConfig(dir, 'victim.json', config(carrier.heldUrl)) };
  const processes: Running[] = [];
  const start = async (processEnv = env) => {
    const p = await startProcess(NODE_MAIN, processEnv, await freePort());
    processes.push(p);
    return p;
  };
  try {
    const first = await start(); // bootstraps the account; the others find its key
    const alive = [first, ...(await Promise.all([start(victimEnv), start()]))];
    let next = 0;
    let killed = false;
    const send = async (i: number) => {
      const body = JSON.stringify({
        message: `m${i}`,
        recipients: [`+255754${String(i).padStart(6, '0')}`],
      });
      for (let attempt = 0; ; attempt++) {
        const target = alive[(i + attempt) % alive.length]!;
        let res: Response;
        try {
          res = await fetch(`${target.base}/v1/sms/send/`, {
            method: 'POST',
            headers: {
              Authorization: `Bearer ${ADMIN}`,
              'Content-Type': 'application/json',
              'Idempotency-Key': `fleet-${i}`,
            },
            body,
          });
        } catch (e) {
          // The process was killed under it: the same request, same key, to another process.
          if (attempt > 20) throw e;
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        if (res.status !== 200) throw new Error(`send ${i}: ${res.status} ${await res.text()}`);
        return;
      }
    };
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (next < MESSAGES) {
          const i = next++;
          if (i === MESSAGES / 2 && !killed) {
            killed = true;
            const victim = alive[1]!;
            // Killed between the carrier taking a submit and the process storing its answer: the
            // carrier has it, the database does not; the sends go on meanwhile.
            await carrier.hold();
            process.kill(-victim.child.pid!, 'SIGKILL');
            await victim.exited;
            alive[1] = await start(); // restarted on the same database
          }
          await send(i);
        }
      }),
    );
    const done = await poll(
      () =>
        fetch(`${first.base}/v1/sms/delivery-reports/?status=sent&per_page=1`, {
          headers: { Authorization: `Bearer ${ADMIN}` },
        }).then((r) => r.json()),
      (r) => r.data.pagination.total === MESSAGES,
      150_000, // minutes at worst on a loaded 2-core machine; seconds when it is idle
    );
    expect(done.data.pagination.total).toBe(MESSAGES);
    // Counted at the carrier: every recipient once; a submit repeated after the kill was answered
    // with its first carrier id (the same reference), so no recipient became two messages.
    expect(carrier.accepted.size).toBe(MESSAGES);
    // The held submits were made again by another process (their claims lapsed), and at most the killed
    // process's claims in flight were.
    expect(carrier.calls()).toBeGreaterThan(MESSAGES);
    expect(carrier.calls() - MESSAGES).toBeLessThanOrEqual(10);
    const balance = await fetch(`${first.base}/v1/sms/balance/`, {
      headers: { Authorization: `Bearer ${ADMIN}` },
    }).then((r) => r.json());
    expect(balance.data.balance).toBe(1000);
  } finally {
    for (const p of processes)
      if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-p.child.pid!, 'SIGKILL');
    await carrier.close();
    await pg.drop();
  }
}, 300_000);

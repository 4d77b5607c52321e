import { join } from 'node:path';
import { startSmsc } from '@mifumo/adapters/smpp';
import { expect, it } from 'vitest';
import { freePort, poll, startProcess, tempDir, writeConfig } from '../test/process';

const KEY = 'mk_live_smppgateway0123456789ab0123456789abcdefg';

async function api(base: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

it('npm start over SMPP: 1,000 messages reach the SMSC once each and come back delivered, a dropped link mid-stream losing none', async () => {
  // The 300th submit is taken and the link cut before its answer goes out, with more in flight behind it.
  let calls = 0;
  let dropAt = 0;
  const smsc = await startSmsc({
    systemId: 'mifumo',
    password: 'secret',
    receiptDelayMs: 20,
    chaos: () => {
      if (++calls !== 300) return null;
      dropAt = Date.now();
      return { kind: 'accept-then-drop' };
    },
  });
  const dir = tempDir();
  const config = writeConfig(dir, 'smpp.json', {
    carriers: [
      {
        id: 'smsc',
        type: 'smpp',
        host: '127.0.0.1',
        port: smsc.port,
        systemId: 'mifumo',
        password: 'secret',
        window: 20,
        reconnectMinMs: 100,
      },
    ],
    limits: { smsPerMinute: 100_000 },
    // Under a loaded CI machine the in-test SMSC can be slow enough for submits to time out and open
    // the lone carrier's circuit; a short cooldown keeps that from stalling the test for 30 s.
    dispatch: { breakerCooldownMs: 2000 },
  });
  const gw = await startProcess(
    ['npm', 'start'],
    {
      DATABASE_URL: `file:${join(dir, 'm.db')}`,
      MIFUMO_CONFIG: config,
      MIFUMO_ADMIN_KEY: KEY,
      MIFUMO_INITIAL_BALANCE: '20000',
    },
    await freePort(),
  );
  try {
    const phones = Array.from({ length: 1000 }, (_, i) => `+255754${String(i).padStart(6, '0')}`);
    const messageIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const sent = await api(gw.base, 'POST', '/v1/sms/send/', {
        message: `Habari ${i}`,
        recipients: phones.slice(i * 100, i * 100 + 100),
      });
      expect(sent.success).toBe(true);
      messageIds.push(sent.data.message_id);
    }

    for (const id of messageIds) {
      const st = await poll(
        () => api(gw.base, 'GET', `/v1/sms/status/${id}/`),
        (r) => r.data.status === 'delivered',
        90_000,
      );
      // On failure, say where they stopped (status and error code of each recipient not delivered).
      const stuck = st.data.recipients
        .filter((r: { status: string }) => r.status !== 'delivered')
        .map((r: { status: string; error: { code: string } | null }) => `${r.status}:${r.error?.code ?? ''}`);
      expect(stuck).toEqual([]);
    }
    const copies = new Map<string, number[]>();
    for (const s of smsc.submits)
      copies.set(s.sm.destination_addr, [...(copies.get(s.sm.destination_addr) ?? []), s.at]);
    expect(copies.size).toBe(1000);
    const duplicated = [...copies.values()].filter((at) => at.length > 1);
    // Only a submit the SMSC took as the link dropped (in the same read as the one it dropped on, so
    // within a few milliseconds of it), its answer lost with it, can go twice.
    for (const at of duplicated) {
      expect(at).toHaveLength(2);
      expect(at[0]).toBeLessThanOrEqual(dropAt + 50);
    }
    expect(dropAt).toBeGreaterThan(0);
    expect(duplicated.length).toBeGreaterThanOrEqual(1); // the one taken as the link dropped
    expect(duplicated.length).toBeLessThanOrEqual(20); // at most the window
    console.log(
      `SMPP gateway run: ${smsc.submits.length} submits for 1000 messages, ${duplicated.length} duplicated by the drop`,
    );
    expect((await api(gw.base, 'GET', '/v1/sms/balance/')).data.balance).toBe(10_000);
  } finally {
    process.kill(-gw.child.pid!, 'SIGTERM');
    await gw.exited;
    await smsc.close();
  }
}, 240_000);

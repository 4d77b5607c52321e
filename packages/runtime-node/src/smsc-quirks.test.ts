import { mkdtempSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SmscOptions, startSmsc } from '@mifumo/adapters/smpp';
import { describe, expect, it } from 'vitest';
import { ENGINES, smppGateway } from './testing/smpp-gateway';
import { until } from './testing/until';

const KEY = 'mk_test_smsc_quirks_0123456789abcd';

/** A gateway bound over TCP to an SMSC simulator on `port`, with the SMPP carrier's defaults. */
async function gatewayTo(port: number, databaseUrl: string, logged: string[] = []) {
  const { gw, call } = await smppGateway({
    port,
    databaseUrl,
    key: KEY,
    logged,
    carrier: { reconnectMaxMs: 200 },
    config: { limits: { smsPerMinute: 100_000 }, dispatch: { maxAttempts: 50, retryBaseMs: 50 } },
  });
  /** Sends to `n` numbers and waits until the message is final; its recipients' statuses. */
  async function sendAndWait(n: number, text: string) {
    const recipients = Array.from({ length: n }, (_, i) => `+255754${String(i).padStart(6, '0')}`);
    const sent = await call('POST', '/v1/sms/send/', { message: text, recipients });
    expect(sent.success).toBe(true);
    let st = await call('GET', `/v1/sms/status/${sent.data.message_id}/`);
    for (let waited = 0; waited < 20_000 && ['queued', 'sent'].includes(st.data.status); waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      st = await call('GET', `/v1/sms/status/${sent.data.message_id}/`);
    }
    return st.data.recipients.map((r: { status: string }) => r.status) as string[];
  }
  return { gw, call, sendAndWait };
}

/** A port nothing listens on (yet). */
async function unusedPort() {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('an SMSC that cannot be reached: shown down, messages wait with CARRIER_UNAVAILABLE, logged once; delivered once it is up', async () => {
  const port = await unusedPort();
  const logged: string[] = [];
  const db = `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-smsc-')), 'm.db')}`;
  const { gw, call } = await gatewayTo(port, db, logged);
  let smsc: Awaited<ReturnType<typeof startSmsc>> | null = null;
  try {
    const carriers = await until(
      () => call('GET', '/v1/carriers/'),
      (r) => r.data.carriers[0].state === 'down',
    );
    expect(carriers.data.carriers[0]).toMatchObject({
      id: 'smsc',
      type: 'smpp',
      state: 'down',
      last_error: { message: expect.stringContaining('ECONNREFUSED') },
      in_flight: 0,
    });
    const sent = await call('POST', '/v1/sms/send/', { message: 'hi', recipients: ['+255754000111'] });
    const waiting = await until(
      () => call('GET', `/v1/sms/status/${sent.data.message_id}/`),
      (r) => r.data.recipients[0].error !== null,
    );
    expect(waiting.data.recipients[0]).toMatchObject({
      status: 'queued',
      error: { code: 'CARRIER_UNAVAILABLE', message: expect.stringMatching(/smsc is down \(.*ECONNREFUSED/) },
    });
    // The gateway keeps trying to connect, and the dispatcher keeps looking: one line says it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(logged.filter((l) => l.includes('smsc'))).toEqual([
      expect.stringMatching(/^carrier smsc is down \(.*ECONNREFUSED.*\): messages routed only to it wait$/),
    ]);

    smsc = await startSmsc({ systemId: 'mifumo', password: 'secret', receiptDelayMs: 5, port });
    const delivered = await until(
      () => call('GET', `/v1/sms/status/${sent.data.message_id}/`),
      (r) => r.data.status === 'delivered',
    );
    expect(delivered.data.status).toBe('delivered');
    expect((await call('GET', '/v1/carriers/')).data.carriers[0]).toMatchObject({ state: 'bound' });
    // The work thread says it when it next looks at its carriers: its line may come after the API shows it.
    const again = await until(
      async () => logged.filter((l) => l.includes('smsc')).slice(1),
      (lines) => lines.length > 0,
    );
    expect(again).toEqual(['carrier smsc is bound again']);
  } finally {
    await gw.close();
    await smsc?.close();
  }
});

describe.each(ENGINES)('SMSC quirks over TCP, gateway on %s', (_, database) => {
  it('an SMSC that restarts and hands out the same ids again: the new messages are delivered', async () => {
    const db = await database();
    const options: SmscOptions = { systemId: 'mifumo', password: 'secret', receiptDelayMs: 5 };
    let smsc = await startSmsc(options);
    const port = smsc.port;
    const { gw, sendAndWait } = await gatewayTo(port, db.url);
    try {
      expect(await sendAndWait(20, 'before the restart')).toEqual(Array(20).fill('delivered'));
      const before = smsc.submits.map((s) => s.messageId);
      await smsc.close();
      smsc = await startSmsc({ ...options, port });
      expect(await sendAndWait(20, 'after the restart')).toEqual(Array(20).fill('delivered'));
      // The simulator counted its ids from the start again: the same ids, now other messages'.
      expect(smsc.submits.map((s) => s.messageId)).toEqual(before);
    } finally {
      await gw.close();
      await smsc.close();
      await db.drop();
    }
  });

  it.each([
    ['hex', 'decimal'],
    ['decimal', 'hex'],
  ] as const)(
    'submit ids in %s, receipts naming them in %s: delivered without configuration',
    async (idFormat, _receipts) => {
      const db = await database();
      const smsc = await startSmsc({
        systemId: 'mifumo',
        password: 'secret',
        receiptDelayMs: 0,
        idFormat,
        receiptIds: 'other',
      });
      const { gw, sendAndWait } = await gatewayTo(smsc.port, db.url);
      try {
        expect(await sendAndWait(30, 'radix')).toEqual(Array(30).fill('delivered'));
      } finally {
        await gw.close();
        await smsc.close();
        await db.drop();
      }
    },
  );
});

import { execFileSync } from 'node:child_process';
import { getEventListeners } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CarrierError } from '@mifumo/core';
import { outboundMessage, recordingContext } from '@mifumo/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../testing/http-server';
import { STATUS } from './pdu';
import { type SmscOptions, startSmsc } from './simulator';
import { createSmppCarrier, type SmppOptions } from './smpp-carrier';

const outbound = (text: string, to = '+255754000111') => outboundMessage(text, { to });
const never = new AbortController().signal;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(smscOptions: SmscOptions = {}, carrier: Partial<SmppOptions> = {}) {
  const smsc = await startSmsc({ receiptDelayMs: 5, ...smscOptions });
  cleanups.push(smsc.close);
  const errors: string[] = [];
  const adapter = createSmppCarrier({
    id: 'smpp',
    host: '127.0.0.1',
    port: smsc.port,
    systemId: 'mifumo',
    password: 'secret',
    reconnectMinMs: 20,
    reconnectMaxMs: 100,
    throttleBackoffMs: 20,
    onError: (m) => errors.push(m),
    ...carrier,
  });
  const recording = recordingContext();
  await adapter.start?.(recording.ctx);
  cleanups.push(() => adapter.stop?.());
  return { smsc, adapter, errors, ...recording };
}

describe('SMPP adapter, before any connection', () => {
  it('refuses a submit through its promise, never by throwing: not started, or a text that cannot be encoded', async () => {
    const adapter = createSmppCarrier({
      id: 'smpp',
      host: '127.0.0.1',
      port: 1,
      systemId: 'x',
      password: 'x',
    });
    // A synchronous throw would fail the assignment itself, before the expectation.
    let submitted = adapter.submit(outbound('hi'), never);
    await expect(submitted).rejects.toMatchObject({ retryable: true, carrierCode: 'NOT_STARTED' });
    await adapter.start?.(recordingContext().ctx);
    cleanups.push(() => adapter.stop?.());
    submitted = adapter.submit({ ...outbound('hi'), text: 'ş', parts: ['ş'] }, never);
    await expect(submitted).rejects.toThrow(RangeError);
  });
});

describe('SMPP adapter against the simulator, over TCP', () => {
  it('backs off on ESME_RTHROTTLED and ESME_RMSGQFUL and sends again, without failing the message', async () => {
    const { smsc, adapter } = await setup();
    smsc.inject({ kind: 'throttle' }, { kind: 'queue-full' }, { kind: 'throttle' });
    const { carrierMessageIds } = await adapter.submit(outbound('hi'), never);
    expect(carrierMessageIds).toHaveLength(1);
    expect(smsc.submits).toHaveLength(1);
    expect((adapter as ReturnType<typeof createSmppCarrier>).sessions[0]!.stats.throttled).toBe(3);
    // The simulator counts every submit_sm it received per second, the refused ones too.
    expect([...smsc.submitsPerSecond.values()].reduce((a, b) => a + b)).toBe(4);
  });

  it.each([
    [STATUS.ESME_RINVDSTADR, false, '0x0000000b'],
    [STATUS.ESME_RINVSRCADR, false, '0x0000000a'],
    [STATUS.ESME_RSYSERR, true, '0x00000008'],
    [STATUS.ESME_RSUBMITFAIL, true, '0x00000045'],
  ])(
    'status %i → CarrierError retryable %s with code %s and the status name',
    async (status, retryable, code) => {
      const { smsc, adapter } = await setup();
      smsc.inject({ kind: 'error', status });
      const error = await adapter.submit(outbound('hi'), never).catch((e: CarrierError) => e);
      expect(error).toBeInstanceOf(CarrierError);
      expect(error).toMatchObject({ retryable, carrierCode: code, message: expect.stringMatching(/ESME_R/) });
    },
  );

  it('keeps at most `window` submits outstanding, and every one is answered', async () => {
    const { smsc, adapter } = await setup({}, { window: 3 });
    smsc.inject(...Array.from({ length: 12 }, () => ({ kind: 'delay' as const, ms: 20 })));
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => adapter.submit(outbound(`m${i}`), never)),
    );
    expect(new Set(results.map((r) => r.carrierMessageIds[0])).size).toBe(12);
    expect(smsc.counters.maxOutstanding).toBe(3);
  });

  it('a dropped connection loses nothing: what was not answered goes out again after the reconnect', async () => {
    const { smsc, adapter } = await setup({}, { window: 5 });
    smsc.inject(...Array.from({ length: 6 }, () => ({ kind: 'delay' as const, ms: 30 })), { kind: 'drop' });
    const pending = Array.from({ length: 20 }, (_, i) => adapter.submit(outbound(`m${i}`), never));
    const results = await Promise.all(pending);
    expect(results.every((r) => r.carrierMessageIds.length === 1)).toBe(true);
    const texts = smsc.submits.map((s) => new TextDecoder().decode(s.sm.short_message));
    expect(new Set(texts).size).toBe(20);
    const session = (adapter as ReturnType<typeof createSmppCarrier>).sessions[0]!;
    expect(session.stats.connects).toBe(2);
    expect(texts.length - 20).toBeLessThanOrEqual(session.stats.resent);
  });

  it('matches receipts whose ids are in decimal to submit ids in hex; multipart gets one receipt per part', async () => {
    const { adapter, reports } = await setup(
      { idFormat: 'hex', receiptIds: 'other', receiptTlvs: false },
      { receiptIds: 'decimal' },
    );
    const { carrierMessageIds } = await adapter.submit(outbound(`${'Habari yako '.repeat(20)}`), never);
    expect(carrierMessageIds.length).toBe(2);
    expect(carrierMessageIds.every((id) => /^[0-9a-f]+$/.test(id) && !id.startsWith('0'))).toBe(true);
    await until(() => reports.length === 2);
    expect(reports.map((r) => r.carrierMessageId).sort()).toEqual([...carrierMessageIds].sort());
    expect(reports.every((r) => r.status === 'delivered')).toBe(true);
  });

  it('leaves no abort listener on a signal its submits shared once they are answered, however many there were', async () => {
    const { adapter } = await setup();
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 12 }, (_, i) => adapter.submit(outbound(`burst ${i}`), signal)));
    for (let i = 0; i < 12; i++) await adapter.submit(outbound(`one by one ${i}`), signal);
    expect(getEventListeners(signal, 'abort')).toEqual([]);
  });

  it('passes a message’s validity on as a relative validity_period; none leaves the SMSC’s default', async () => {
    const { smsc, adapter, reports } = await setup();
    await adapter.submit({ ...outbound('Code 4821'), validUntil: Date.now() + 300_000 }, never);
    await adapter.submit(outbound('hi'), never);
    await until(() => reports.length === 2);
    expect(smsc.submits[0]!.sm.validity_period).toMatch(/^00000000(05|04)\d\d000R$/);
    expect(smsc.submits[1]!.sm.validity_period).toBe('');
  });

  it('reports an undelivered receipt as failed, with the stat', async () => {
    const { adapter, reports } = await setup({ outcome: () => 'UNDELIV' });
    const [id] = (await adapter.submit(outbound('hi'), never)).carrierMessageIds;
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({ carrierMessageId: id, status: 'failed', errorCode: 'UNDELIV' });
  });

  it('says the subscriber opted out only for the configured optOutErrorCodes: a submit status (hex) or a receipt err (decimal)', async () => {
    const { smsc, adapter, reports } = await setup(
      { outcome: () => 'UNDELIV' },
      { optOutErrorCodes: ['0x00000401', 'err:1'] },
    );
    smsc.inject({ kind: 'error', status: 0x401 }, { kind: 'error', status: STATUS.ESME_RINVDSTADR });
    const blocked = await adapter.submit(outbound('hi'), never).catch((e) => e);
    expect(blocked).toBeInstanceOf(CarrierError);
    expect(blocked).toMatchObject({ carrierCode: '0x00000401', retryable: false, optedOut: true });
    expect(await adapter.submit(outbound('hi'), never).catch((e) => e)).toMatchObject({ optedOut: false });
    await adapter.submit(outbound('hi'), never);
    await until(() => reports.length === 1);
    expect(reports[0]).toMatchObject({ status: 'failed', errorCode: 'UNDELIV', optedOut: true });

    const plain = await setup({ outcome: () => 'UNDELIV' });
    await plain.adapter.submit(outbound('hi'), never);
    await until(() => plain.reports.length === 1);
    expect(plain.reports[0]!.optedOut).toBeUndefined();
  });

  it('stores incoming messages: GSM-7 with extension characters, and a 3-part UCS-2 one reassembled exactly once', async () => {
    const { smsc, inbound } = await setup();
    await until(() => smsc.bound === 1);
    smsc.sendMo({ systemId: 'mifumo', from: '+255754000111', to: '15577', text: 'Bei €5 {sawa}' });
    const long = 'Asante sana 😀 '.repeat(8);
    smsc.sendMo({
      systemId: 'mifumo',
      from: '+255754000222',
      to: '15577',
      text: long,
      ucs2: true,
      parts: 3,
      reference: 9,
    });
    await until(() => inbound.length === 2);
    expect(inbound).toEqual([
      { from: '+255754000111', to: '15577', text: 'Bei €5 {sawa}' },
      { from: '+255754000222', to: '15577', text: long },
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(inbound).toHaveLength(2);
  });

  it('answers the SMSC’s enquire_link and sends its own, staying bound', async () => {
    const { smsc, adapter } = await setup({ enquireLinkMs: 20 }, { enquireLinkMs: 20 });
    await until(() => smsc.counters.enquireLinks >= 10);
    expect((adapter as ReturnType<typeof createSmppCarrier>).sessions[0]!.stats.connects).toBe(1);
  });

  it('a refused bind shows the carrier down, without a log line per attempt; a submit waits for a bind until its signal gives up', async () => {
    const { adapter, errors } = await setup({ password: 'right' }, { password: 'wrong' });
    await until(() => adapter.status?.().state === 'down'); // refused at least once
    const error = await adapter
      .submit(outbound('hi'), AbortSignal.timeout(200))
      .catch((e: CarrierError) => e);
    expect(error).toMatchObject({ retryable: true, carrierCode: 'TIMEOUT' });
    expect(adapter.status?.()).toMatchObject({
      state: 'down',
      lastError: { message: expect.stringMatching(/^bind to 127\.0\.0\.1:\d+ failed: bind refused: /) },
    });
    expect(errors).toEqual([]);
  });

  it('is connecting until bound, bound while the link is up, connecting again after the SMSC drops it', async () => {
    const { smsc, adapter } = await setup();
    expect(adapter.status?.().state).toBe('connecting');
    await until(() => adapter.status?.().state === 'bound');
    smsc.inject({ kind: 'drop' });
    await adapter.submit(outbound('hi'), never);
    expect(adapter.status?.()).toMatchObject({
      state: 'bound',
      lastError: { message: 'the SMSC closed the connection' },
    });
  });

  it('transmitter+receiver binds, several of them: submits spread, receipts come over the receivers', async () => {
    const { smsc, adapter, reports } = await setup({}, { bindMode: 'transmitter+receiver', binds: 2 });
    await until(() => smsc.bound === 4);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => adapter.submit(outbound(`m${i}`), never)),
    );
    await until(() => reports.length === 10);
    expect(reports.map((r) => r.carrierMessageId).sort()).toEqual(
      results.map((r) => r.carrierMessageIds[0]).sort(),
    );
    const sessions = (adapter as ReturnType<typeof createSmppCarrier>).sessions;
    expect(sessions.map((s) => s.mode)).toEqual(['transmitter', 'receiver', 'transmitter', 'receiver']);
  });

  it('stop unbinds and leaves no timer behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const { smsc, adapter } = await setup();
    // Bound on both sides: the SMSC counts the bind before the adapter has read its bind_resp, and an
    // adapter stopped in between has nothing to unbind.
    await until(() => smsc.bound === 1 && adapter.status?.().state === 'bound');
    expect(timers()).toBeGreaterThan(before); // enquire_link and the response-timeout sweep
    await adapter.stop?.();
    expect(smsc.counters.unbinds).toBe(1);
    await smsc.close();
    // At most as many as before: a timer an earlier test left may have fired meanwhile.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('speaks SMPP over TLS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mifumo-tls-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const { adapter, reports } = await setup(
      { tls: { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert } },
      { tls: { ca: cert } },
    );
    const [id] = (await adapter.submit(outbound('siri'), never)).carrierMessageIds;
    await until(() => reports.length === 1);
    expect(reports[0]!.carrierMessageId).toBe(id);
  });
});

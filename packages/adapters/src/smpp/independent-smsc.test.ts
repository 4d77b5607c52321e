import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboundMessage, recordingContext } from '@mifumo/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../testing/http-server';
import { createSmppCarrier } from './smpp-carrier';

/**
 * Against an SMSC we did not write: the example SMSC of Perl's Net::SMPP (Debian libnet-smpp-perl,
 * which .ci/run installs). It answers every submit with message_id 123456789 and sends no receipts.
 */
const SCRIPT = '/usr/share/doc/libnet-smpp-perl/examples/smsc.pl';
const available = (() => {
  try {
    execFileSync('perl', ['-MNet::SMPP', '-e', '1'], { stdio: 'ignore' });
    readFileSync(SCRIPT);
    return true;
  } catch {
    return false;
  }
})();
if (!available && process.env.CI) throw new Error(`CI needs libnet-smpp-perl (${SCRIPT})`);

const port = 20_000 + (process.pid % 20_000);
let smsc: ChildProcess;
const received: string[] = [];

beforeAll(async () => {
  if (!available) return;
  const script = join(tmpdir(), `mifumo-smsc-${process.pid}.pl`);
  writeFileSync(
    script,
    readFileSync(SCRIPT, 'utf8')
      .replace("$host = 'localhost';", "$host = '127.0.0.1';")
      .replace('$port = 9900;', `$port = ${port};`),
  );
  // Its lines unbuffered ($| = 1), so each PDU it receives is seen when it arrives.
  smsc = spawn('perl', ['-e', '$| = 1; my $script = shift; do $script; die $@ if $@', script, '3'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  smsc.stdout!.on('data', (d: Buffer) => received.push(...d.toString().split('\n').filter(Boolean)));
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => resolve(true)).on('error', () => resolve(false));
      s.on('connect', () => s.destroy());
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the Perl SMSC did not start');
});

afterAll(() => {
  smsc?.kill();
});

it.runIf(available)(
  'binds to Net::SMPP’s SMSC, submits one-part and long messages, keeps the link and unbinds',
  async () => {
    const adapter = createSmppCarrier({
      id: 'perl',
      host: '127.0.0.1',
      port,
      systemId: 'GSMSGW',
      password: 'secret',
      enquireLinkMs: 100,
      onError: () => {},
    });
    await adapter.start?.(recordingContext().ctx);
    const message = (text: string) => outboundMessage(text);
    expect(await adapter.submit(message('Habari'), AbortSignal.timeout(5000))).toEqual({
      carrierMessageIds: ['123456789'],
    });
    const long = await adapter.submit(message('Karibu 😀 '.repeat(15)), AbortSignal.timeout(5000));
    expect(long.carrierMessageIds).toHaveLength(3);
    await until(() => received.filter((l) => /:enquire_link$/.test(l)).length >= 2); // the link kept
    await adapter.stop?.();
    await until(() => received.some((l) => /:unbind$/.test(l)));
    expect(received.filter((l) => /:submit_sm$/.test(l))).toHaveLength(4);
    expect(received.filter((l) => /:enquire_link$/.test(l)).length).toBeGreaterThanOrEqual(2);
    expect(received.find((l) => /bind_transceiver/.test(l))).toBeDefined();
  },
);

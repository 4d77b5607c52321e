import { parseArgs } from 'node:util';
import { type SmscFault, startSmsc } from '@mifumo/adapters/smpp';
import { UsageError } from '@mifumo/core';
import type { CliIo } from './run';

export const SMSC_USAGE = `Usage: mifumo smsc-sim [--port 2775] [--host 127.0.0.1] [--system-id ID --password PW]
    [--receipt-delay MS] [--undelivered SHARE] [--throttle SHARE] [--errors SHARE] [--delay MS]
    [--drop SHARE]
An SMSC simulator for development: binds ESMEs, acknowledges submit_sm, sends delivery receipts.
SHARE is 0..1 of submits: --throttle answers ESME_RTHROTTLED, --errors ESME_RSYSERR, --drop cuts
the connection; --delay holds each answer; --undelivered reports that share UNDELIV.`;

function share(text: string | undefined, flag: string): number {
  if (text === undefined) return 0;
  const n = Number(text);
  if (!(n >= 0 && n <= 1)) throw new UsageError(`--${flag} takes a share from 0 to 1`);
  return n;
}

function whole(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} takes a whole number`);
  return n;
}

/** `mifumo smsc-sim`: runs until `stop` resolves (SIGINT/SIGTERM in the CLI). */
export async function runSmscSim(argv: string[], io: CliIo, stop: Promise<void>): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'system-id': { type: 'string' },
      password: { type: 'string' },
      'receipt-delay': { type: 'string' },
      undelivered: { type: 'string' },
      throttle: { type: 'string' },
      errors: { type: 'string' },
      delay: { type: 'string' },
      drop: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(SMSC_USAGE);
    return 0;
  }
  const rates = {
    throttle: share(values.throttle, 'throttle'),
    errors: share(values.errors, 'errors'),
    drop: share(values.drop, 'drop'),
    undelivered: share(values.undelivered, 'undelivered'),
  };
  const delay = whole(values.delay, 'delay', 0);
  const smsc = await startSmsc({
    port: whole(values.port, 'port', 2775),
    host: values.host ?? '127.0.0.1',
    systemId: values['system-id'],
    password: values.password,
    receiptDelayMs: whole(values['receipt-delay'], 'receipt-delay', 200),
    outcome: () => (Math.random() < rates.undelivered ? 'UNDELIV' : 'DELIVRD'),
    chaos: (): SmscFault | null => {
      const r = Math.random();
      if (r < rates.drop) return { kind: 'drop' };
      if (r < rates.drop + rates.throttle) return { kind: 'throttle' };
      if (r < rates.drop + rates.throttle + rates.errors) return { kind: 'error', status: 0x08 };
      return delay ? { kind: 'delay', ms: delay } : null;
    },
    log: (line) => io.out(line),
  });
  io.out(`SMSC simulator listening on ${values.host ?? '127.0.0.1'}:${smsc.port} (Ctrl-C stops it)`);
  await stop;
  await smsc.close();
  io.out(`stopped after ${smsc.submits.length} submits`);
  return 0;
}

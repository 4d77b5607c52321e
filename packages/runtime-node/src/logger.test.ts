import { expect, it } from 'vitest';
import { maskPhones, nodeLogger } from './logger';

const at = new Date('2026-12-05T04:00:00.000Z');

function capture(format: 'json' | 'pretty', level: 'error' | 'warn' | 'info', maskPhones?: boolean) {
  const out: string[] = [];
  const errors: string[] = [];
  const log = nodeLogger({
    format,
    level,
    ...(maskPhones === undefined ? {} : { maskPhones }),
    out: (l) => out.push(l),
    errors: (l) => errors.push(l),
    now: () => at,
  });
  return { log, out, errors };
}

it('masks phone numbers, keeping the first and last three digits, and leaves other numbers alone', () => {
  expect(maskPhones('to +255754000111 and 0754000111, 255654123456')).toBe(
    'to +255******111 and 075****111, 255******456',
  );
  expect(
    maskPhones('/opt-outs/%2B255754000401/history x255754000304 +255 754 000 306 +255-754-000-307'),
  ).toBe('/opt-outs/%2B255******401/history x255******304 +255 *** *** 306 +255-***-***-307');
  expect(maskPhones('took 3301 ms; msg_0VctgT6l5dliUunVHMSvDu; 2026-12-05T04:00:00Z; port 5432')).toBe(
    'took 3301 ms; msg_0VctgT6l5dliUunVHMSvDu; 2026-12-05T04:00:00Z; port 5432',
  );
});

it('json: one object per line with level, time, message, the fields and the error, numbers masked', () => {
  const { log, out, errors } = capture('json', 'info');
  log.info?.('POST /api/integration/v1/sms/send/ 200', {
    request_id: '1733375400123',
    account_id: 'acc_1',
    status: 200,
    message_id: undefined,
  });
  const failure = Object.assign(new Error('submit to +255754000111 refused'), { code: 'ESME_RINVDSTADR' });
  log.error('dispatch failed', failure, { message_id: 'msg_1' });
  log.warn?.('a warning', { phone: '+255754000111' });
  expect(JSON.parse(out[0]!)).toEqual({
    level: 'info',
    time: '2026-12-05T04:00:00.000Z',
    message: 'POST /api/integration/v1/sms/send/ 200',
    request_id: '1733375400123', // ids are kept whole: a client's and the log's meet
    account_id: 'acc_1',
    status: 200,
  });
  const error = JSON.parse(errors[0]!);
  expect(error).toMatchObject({
    level: 'error',
    message: 'dispatch failed',
    message_id: 'msg_1',
    error: { name: 'Error', message: 'submit to +255******111 refused', code: 'ESME_RINVDSTADR' },
  });
  expect(error.error.stack).toContain('submit to +255******111 refused');
  expect(JSON.parse(errors[1]!)).toMatchObject({ level: 'warn', detail: '{"phone":"+255******111"}' });
  expect([...out, ...errors].join('\n')).not.toContain('754000111');
});

it('pretty: a line a person reads; lines under the level are dropped; masking can be turned off', () => {
  const { log, out, errors } = capture('pretty', 'warn', false);
  expect(log.info).toBeUndefined();
  log.warn?.('carrier smsc is down', undefined, { carrier: 'smsc', to: '+255754000111' });
  expect(errors).toEqual([
    '2026-12-05T04:00:00.000Z WARN carrier smsc is down carrier=smsc to=+255754000111',
  ]);
  const quiet = capture('json', 'error');
  quiet.log.warn?.('dropped');
  expect([...quiet.out, ...quiet.errors, ...out]).toEqual([]);
});

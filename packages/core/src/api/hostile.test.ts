import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn } from '../../test/harness';
import { ERROR_CODES } from '../errors';
import { OPERATIONS } from './openapi/operations';

/** mulberry32: a seeded generator, so a failure names the seed that reproduces it. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, pick };
}

const STRINGS = [
  '',
  ' ',
  'hi',
  '\u0000',
  'a\u0000b',
  '\uD83D',
  '😀'.repeat(40),
  'x'.repeat(5000),
  '+255754000111',
  '0754000111',
  '255754000111',
  '+1',
  '9'.repeat(40),
  '2024-02-30',
  '2024-01-01T10:00:00Z',
  '9999-12-31',
  '-1',
  'NaN',
  '1e309',
  '%',
  '_',
  "' OR 1=1 --",
  '<script>',
  'MIFUMO',
  'vip',
  'https://example.com/hook',
  'http://127.0.0.1/x',
  'Élodie',
  '__proto__',
];
const NUMBERS = [0, -1, 1, 1.5, 1e21, -1e21, 2 ** 63, Number.MAX_SAFE_INTEGER, 0.001];

function value(g: ReturnType<typeof generator>, depth = 0): unknown {
  const kind = g.pick(depth > 2 ? ['s', 'n', 'b', 'z'] : ['s', 'n', 'b', 'z', 'a', 'o']);
  if (kind === 's') return g.pick(STRINGS);
  if (kind === 'n') return g.pick(NUMBERS);
  if (kind === 'b') return g.next() < 0.5;
  if (kind === 'z') return null;
  if (kind === 'a') return Array.from({ length: Math.floor(g.next() * 4) }, () => value(g, depth + 1));
  return body(g, depth + 1);
}

const FIELDS = [
  'message',
  'recipients',
  'sender_id',
  'schedule_time',
  'webhook_url',
  'smart_encoding',
  'name',
  'phone_number',
  'email',
  'tags',
  'is_active',
  'description',
  'criteria',
  'permissions',
  'url',
  'bearer_auth',
  'grace_period_seconds',
  'segment_id',
  'contact_ids',
  'expires_at',
  'extra',
];

function body(g: ReturnType<typeof generator>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(g.next() * 6); i >= 0; i--) out[g.pick(FIELDS)] = value(g, depth);
  return out;
}

/** Every documented route but the carriers' callbacks (their own tests), and a method the app refuses. */
const ROUTES: [string, string][] = [
  ...OPERATIONS.filter((op) => op.auth !== 'callback').map((op): [string, string] => [
    op.method.toUpperCase(),
    op.path.replace(/\{\w+\}/g, '{id}'),
  ]),
  ['PUT', '/v1/sms/send/'],
];
const QUERY_KEYS = [
  'q',
  'page',
  'per_page',
  'limit',
  'offset',
  'segment_id',
  'start_date',
  'end_date',
  'status',
  'message_id',
  'action',
  'tag',
  'is_active',
  'created_after',
  'created_before',
  'sender_id',
  'campaign_id',
  'on_conflict',
];
const TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'text/csv',
];

/** Percent-encodes; a lone surrogate (which no URL can carry) becomes the raw bytes a broken client would send. */
function enc(text: string) {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%BD';
  }
}

function hostileRequest(g: ReturnType<typeof generator>) {
  const [method, template] = g.pick(ROUTES);
  const path = template.replaceAll(
    '{id}',
    enc(g.pick([...STRINGS.filter(Boolean), 'msg_x', 'seg_x', 'ct_x', 'cmp_x', 'key_x'])),
  );
  const query = Array.from({ length: Math.floor(g.next() * 3) }, () => {
    return `${g.pick(QUERY_KEYS)}=${enc(String(g.next() < 0.5 ? g.pick(STRINGS) : g.pick(NUMBERS)))}`;
  }).join('&');
  const raw = g.next();
  const payload =
    method === 'GET' || method === 'DELETE'
      ? undefined
      : raw < 0.1
        ? g.pick(['', '{', '[1,2]', '"text"', 'null', '{"message":'])
        : raw < 0.2
          ? JSON.stringify([body(g), body(g)]) // what the import takes
          : raw < 0.3
            ? // CSV-ish text: a header of known and unknown columns, rows of hostile strings
              [g.pick(FIELDS), g.pick(['name,phone_number', 'name,phone_number,tags'])]
                .concat(Array.from({ length: 3 }, () => `${g.pick(STRINGS)},${g.pick(STRINGS)}`))
                .join('\n')
            : JSON.stringify(body(g));
  return {
    method,
    url: query ? `${path}?${query}` : path,
    body: payload,
    headers: (payload === undefined ? {} : { 'Content-Type': g.pick(TYPES) }) as Record<string, string>,
  };
}

describe.each(ENGINES)('hostile requests on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it.each([1, 2, 3])('seed %i: 250 requests, every answer in the envelope, none 5xx', async (seed) => {
    const g = gateway();
    const random = generator(seed);
    for (let i = 0; i < 250; i++) {
      const req = hostileRequest(random);
      const r = await g.call(req.method, req.url, { body: req.body, headers: req.headers });
      const where = `seed ${seed} #${i}: ${req.method} ${req.url} ${req.body?.slice(0, 200) ?? ''}`;
      expect(r.status, where).toBeLessThan(500);
      expect(typeof r.json?.success, where).toBe('boolean');
      expect(Object.keys(r.json).sort(), where).toEqual([
        'data',
        'details',
        'error_code',
        'message',
        'success',
      ]);
      if (!r.json.success) {
        expect(Object.keys(ERROR_CODES), where).toContain(r.json.error_code);
        expect(r.json.data, where).toBeNull();
      }
    }
    // Nothing it did broke the account: its lists and balance still answer, and the balance is not negative.
    expect((await g.call('GET', '/v1/contacts/segments/')).status).toBe(200);
    const balance = await g.call('GET', '/v1/sms/balance/');
    expect(balance.json.data.balance).toBeGreaterThanOrEqual(0);
  });
});

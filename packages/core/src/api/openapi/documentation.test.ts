import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import { ERROR_CODES, ERROR_MEANINGS, type ErrorCode } from '../../errors';
import { openApiDocument } from './document';
import { STYLE } from './documentation';
import { OPERATIONS } from './operations';

let g: TestGateway;
beforeAll(async () => {
  g = await createTestGateway();
});
afterAll(() => g.close());

const page = async (path: string) => {
  const res = await g.mifumo.fetch(new Request(`http://127.0.0.1:8001/api/integration${path}`));
  return { status: res.status, headers: res.headers, html: await res.text() };
};
/** Text as the browser shows it. */
const shown = (html: string) =>
  html
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The JSON types a type cell may name: `string`, `array of objects`, `integer or null`, … */
const JSON_TYPE =
  /^(?:array of )*(?:string|integer|number|boolean|object|null|JSON value)s?(?: or (?:array of )*(?:string|integer|number|boolean|object|null|JSON value)s?)*$/;
/** Names of the validator's own building blocks (zod's), which say nothing to a reader of the API. */
const VALIDATOR_WORDS =
  /\b(?:optional|default|prefault|pipe|transform|nullable|nullish|nonoptional|catch|readonly|lazy|promise|union|intersection|literal|enum|record|tuple|unknown|any|never|void|undefined|custom|success|effects|ZodType)\b/i;

describe('the documentation page', () => {
  it('is served at /documentation/ (and without the slash), with no key and nothing from elsewhere', async () => {
    const docs = await page('/documentation/');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    const withoutNonce = (html: string) => html.replace(/nonce="\w+"/, '');
    expect(withoutNonce((await page('/documentation')).html)).toBe(withoutNonce(docs.html));
    expect(docs.html.startsWith('<!doctype html>')).toBe(true);
    // Offline: no script, stylesheet, font or image is fetched from anywhere.
    expect(docs.html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  });

  it('works under a strict Content-Security-Policy: one style element with the response’s nonce, no inline style attributes', async () => {
    const first = await page('/documentation/');
    const second = await page('/documentation/');
    const policy = first.headers.get('content-security-policy') ?? '';
    const nonce = /style-src 'nonce-(\w+)'/.exec(policy)?.[1];
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(nonce).toBeDefined();
    expect(first.html.match(/<style[^>]*>/g)).toEqual([`<style nonce="${nonce}">`]);
    expect(first.html).not.toMatch(/\sstyle="/);
    expect(second.headers.get('content-security-policy')).not.toBe(policy); // a fresh nonce each time
    expect(first.headers.get('x-frame-options')).toBe('DENY');
  });

  it('wraps long lines inside their box instead of cutting them', () => {
    const pre = /(?:^|\})pre\{([^}]*)\}/m.exec(STYLE)?.[1] ?? '';
    expect(pre).toContain('white-space:pre-wrap');
    expect(pre).toContain('overflow-wrap:anywhere');
    expect(STYLE).toContain('.scroll{max-width:100%;overflow-x:auto}');
  });

  it('shows the base URL it was asked under in links and curl, escaped', async () => {
    const host = new Hono();
    host.route('/t/:tenant', g.mifumo.app);
    const res = await host.request("http://127.0.0.1:8001/t/a'&b/documentation/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="http://127.0.0.1:8001/t/a&#39;&amp;b/openapi.json">');
    expect(html).toContain('  http://127.0.0.1:8001/t/a&#39;&amp;b/v1/sms/send/');
    expect(html).not.toContain("a'&b");
    expect(html).not.toContain('MIFUMO-DOCUMENTATION');
  });

  it('shows every endpoint with a curl example, every error code, the rate limits and webhook verification', async () => {
    const text = shown((await page('/documentation/')).html);
    for (const op of OPERATIONS) {
      expect(text).toContain(op.path);
      expect(text).toContain(`curl -X ${op.method.toUpperCase()}`);
    }
    expect(text).toContain(
      `curl -X POST -H "Authorization: Bearer $MIFUMO_API_KEY" \\\n  -H 'Content-Type: application/json' -d '{"message":"Hello from Mifumo SMS!"`,
    );
    expect(text).toContain('http://127.0.0.1:8001/api/integration/v1/sms/send/');
    for (const code of Object.keys(ERROR_CODES)) expect(text).toContain(code);
    expect(text).toContain('[{ field, message }]: Each problem, as { field, message }');
    expect(text).toContain('{ phones, encoding }: The numbers (E.164) no carrier can take');
    expect(text).toContain('RATE_LIMIT_EXCEEDED');
    expect(text).toContain('export async function verifyMifumoWebhook');
    expect(text).toContain('def verify_mifumo_webhook');
  });

  it('names each field’s JSON type, never the validator’s building blocks', async () => {
    const { html } = await page('/documentation/');
    const cells = [...html.matchAll(/<td class="type">([^<]*)<\/td>/g)].map((m) => m[1]!);
    expect(cells.length).toBeGreaterThan(500);
    expect(cells.filter((type) => VALIDATOR_WORDS.test(type))).toEqual([]);
    expect(cells.filter((type) => !JSON_TYPE.test(type))).toEqual([]);
  });

  it('shows a field of the body, the query and the answer with its type, required, default, allowed values and description', async () => {
    const rows = shown(
      [...(await page('/documentation/')).html.matchAll(/<tr><td><code>.*?<\/tr>/g)]
        .map((m) => m[0])
        .join('\n'),
    ).split('\n');
    // Columns: field, type, required, default, allowed values, description (as the page shows them, joined).
    expect(rows).toContain(
      'traffic_classstringnotransactionalone of transactional, promotional, otpWhat the message is for. transactional and promotional messages leave out numbers the account has opted out (listed in suppressed, not charged); otp (one-time codes) is sent to every number.',
    );
    expect(rows).toContain('per_pageintegerno501 to 500Rows a page');
    expect(rows).toContain('recipients[].phonestringyesE.164 phone numberThe recipient’s number');
    expect(rows).toContain('created_atstringyesISO 8601 date-time with offsetWhen it was accepted');
    expect(rows).toContain(
      'validity_periodinteger or nullno60 to 604800Seconds, from when it is due (now, or schedule_time), within which it must reach a carrier: never submitted after (the recipient becomes expired and is refunded); passed on to carriers that take one (SMPP validity_period). For one-time codes.',
    );
  });

  it('lists every error code with its HTTP status and when it is answered, and links each endpoint’s errors to them', async () => {
    const { html } = await page('/documentation/');
    const rows = [
      ...html.matchAll(/<tr id="error-(\w+)"><td>(\d+)<\/td><td><code>\w+<\/code><\/td><td>(.*?)<\/td>/g),
    ];
    expect(Object.fromEntries(rows.map((m) => [m[1], Number(m[2])]))).toEqual(ERROR_CODES);
    for (const [, code, , when] of rows)
      expect(shown(when!)).toBe(ERROR_MEANINGS[code as ErrorCode].replace(/`/g, ''));
    const send = html.slice(html.indexOf('id="post-v1-sms-send"'), html.indexOf('id="post-v1-sms-quote"'));
    expect(shown(send)).toContain('402 INSUFFICIENT_BALANCE');
    expect(send).toContain('<a href="#error-INSUFFICIENT_BALANCE">');
  });
});

/** Every `properties` member anywhere in the document, with where it is. */
function* properties(node: unknown, at: string): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* properties(item, `${at}/${i}`);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && value && typeof value === 'object')
      for (const [name, schema] of Object.entries(value as Record<string, Record<string, unknown>>))
        yield [`${at}/properties/${name}`, schema];
    yield* properties(value, `${at}/${key}`);
  }
}

/** A field's description: its own, or (a nullable field) that of its value's schema. */
const describedAt = (schema: Record<string, unknown>) =>
  typeof schema.description === 'string' && schema.description.length > 0
    ? true
    : ((schema.anyOf ?? schema.oneOf ?? []) as Record<string, unknown>[]).some(
        (v) => v.type !== 'null' && typeof v.description === 'string' && v.description.length > 0,
      );

describe('the OpenAPI document’s descriptions', () => {
  const document = openApiDocument();

  it('describes every field of every request and response (bodies, data, error details, webhooks)', () => {
    const found = [...properties(document, '#')];
    expect(found.length).toBeGreaterThan(800);
    expect(found.filter(([, schema]) => !describedAt(schema)).map(([at]) => at)).toEqual([]);
  });

  it('describes every path, query and header parameter', () => {
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(document.paths))
      for (const [method, op] of Object.entries(methods as Record<string, { parameters?: unknown[] }>))
        for (const p of (op.parameters ?? []) as { name: string; in: string; description?: string }[])
          if (!p.description) missing.push(`${method} ${path} ${p.in} ${p.name}`);
    expect(missing).toEqual([]);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../../test/harness';
import { ERROR_CODES } from '../../errors';
import { OPERATIONS } from './operations';

let g: TestGateway;
beforeAll(async () => {
  g = await createTestGateway();
});
afterAll(() => g.close());

const page = async (path: string) => {
  const res = await g.mifumo.fetch(new Request(`http://127.0.0.1:8001/api/integration${path}`));
  return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
};
/** Text as the browser shows it. */
const shown = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

it('serves the documentation at /documentation/ (and without the slash), with no key and nothing from elsewhere', async () => {
  const docs = await page('/documentation/');
  expect(docs.status).toBe(200);
  expect(docs.type).toContain('text/html');
  expect((await page('/documentation')).html).toBe(docs.html);
  expect(docs.html.startsWith('<!doctype html>')).toBe(true);
  // Offline: no script, stylesheet, font or image is fetched from anywhere.
  expect(docs.html).not.toMatch(/<script|<link|<img|@import|url\(/i);
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
  expect(text).toContain('[{ field, message }]: Each problem, as `{ field, message }`');
  expect(text).toContain('{ phones, encoding }: The numbers (E.164) no carrier can take');
  expect(text).toContain('RATE_LIMIT_EXCEEDED');
  expect(text).toContain('export async function verifyMifumoWebhook');
  expect(text).toContain('def verify_mifumo_webhook');
});

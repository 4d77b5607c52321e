import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestGateway, type TestGateway } from '../../test/harness';
import { type ReceivedWebhook, webhookReceiver } from '../../test/webhook-receiver';
import { VERIFY_JS, VERIFY_PYTHON } from './verify-snippets';

const WEBHOOKS = readFileSync(new URL('../../../../docs/webhooks.md', import.meta.url), 'utf8');

/** The webhooks page's fenced `lang` block that mentions `marker`. */
function snippet(lang: string, marker: string): string {
  const blocks = [...WEBHOOKS.matchAll(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``, 'g'))].map(
    (m) => m[1]!,
  );
  const found = blocks.find((b) => b.includes(marker));
  if (!found) throw new Error(`docs/webhooks.md has no ${lang} block with ${marker}`);
  return found;
}

let g: TestGateway;
let rx: Awaited<ReturnType<typeof webhookReceiver>>;
let secret: string;
let hook: ReceivedWebhook;
beforeAll(async () => {
  rx = await webhookReceiver();
  g = await createTestGateway({ config: { webhooks: { allowPrivateNetworks: true } } });
  secret = (await g.call('GET', '/v1/webhooks/')).json.data.signing_secret;
  await g.call('POST', '/v1/webhooks/rotate-secret/'); // two signatures, as during a rotation
  await g.call('POST', '/v1/sms/send/', {
    body: { message: 'Habari', recipients: ['+255754000111'], webhook_url: rx.url },
  });
  await g.mifumo.dispatchDue();
  await g.mifumo.deliverWebhooksDue();
  hook = rx.received[0]!;
});
afterAll(async () => {
  await g.close();
  await rx.close();
});

describe('the webhooks page’s verification snippets, on a real delivery', () => {
  it('are the ones the documentation page shows', () => {
    expect(snippet('js', 'verifyMifumoWebhook')).toBe(VERIFY_JS);
    expect(snippet('python', 'verify_mifumo_webhook')).toBe(VERIFY_PYTHON);
  });

  it('JavaScript: accepts it with the secret (the old one during a rotation), refuses a changed body or another secret', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mifumo-readme-'));
    writeFileSync(join(dir, 'verify.mjs'), snippet('js', 'verifyMifumoWebhook'));
    const { verifyMifumoWebhook } = await import(join(dir, 'verify.mjs'));
    const headers = Object.fromEntries(hook.headers);
    expect(await verifyMifumoWebhook(hook.body, headers, secret)).toBe(true);
    const current = (await g.call('GET', '/v1/webhooks/')).json.data.signing_secret;
    expect(await verifyMifumoWebhook(hook.body, headers, current)).toBe(true);
    expect(
      await verifyMifumoWebhook(hook.body.replace('+255754000111', '+255754000112'), headers, secret),
    ).toBe(false);
    expect(await verifyMifumoWebhook(hook.body, headers, 'whsec_wrong')).toBe(false);
    expect(await verifyMifumoWebhook(hook.body, { ...headers, 'x-mifumo-timestamp': '1000' }, secret)).toBe(
      false,
    );
  });

  it('Python: the same', () => {
    const program = `${snippet('python', 'verify_mifumo_webhook')}
import json, sys
case = json.load(sys.stdin)
print(json.dumps([verify_mifumo_webhook(case["body"].encode(), case["headers"], s) for s in case["secrets"]]))
`;
    const headers = {
      'X-Mifumo-Timestamp': hook.headers.get('x-mifumo-timestamp'),
      'X-Mifumo-Signature': hook.headers.get('x-mifumo-signature'),
    };
    const run = (body: string) =>
      JSON.parse(
        execFileSync('python3', ['-c', program], {
          input: JSON.stringify({ body, headers, secrets: [secret, 'whsec_wrong'] }),
          encoding: 'utf8',
        }),
      );
    expect(run(hook.body)).toEqual([true, false]);
    expect(run(hook.body.replace('+255754000111', '+255754000112'))).toEqual([false, false]);
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { configSchema } from '@mifumo/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startGateway } from './gateway';

/** A page of the documentation: README.md or docs/*.md, from the repository's root. */
const page = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');
const README = page('README.md');
const API = page('docs/api.md');
const TWO_WAY = page('docs/two-way.md');
const WEBHOOKS = page('docs/webhooks.md');
const ADMIN = 'mk_live_readmecurl0123456789abcdef0123456789abcd';

/** The first `sh` block after `marker` in `text`, as separate commands: continuation lines joined, comments dropped. */
function commandsAfter(text: string, marker: string): string[] {
  expect(text).toContain(marker);
  const section = text.slice(text.indexOf(marker));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const commands: string[] = [];
  let current = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const text = line.replace(/\s+#.*$/, '');
    current += `${text.replace(/\\$/, '')} `;
    if (!text.endsWith('\\')) {
      commands.push(current.trim());
      current = '';
    }
  }
  return commands;
}

let gw: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  gw = await startGateway(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: `file:${join(mkdtempSync(join(tmpdir(), 'mifumo-readme-')), 'r.db')}`,
      adminKey: ADMIN,
      initialBalance: 5000,
      config: configSchema.parse({}),
      secret: { value: 'ab'.repeat(32), file: '' },
    },
    // Webhooks are not attempted here (the loop's next tick is an hour away), so a delivery the
    // commands name is never mid-attempt when they re-send it.
    { logger: { error: () => {} }, webhookIntervalMs: 3_600_000 },
  );
});
afterAll(() => gw.close());

/**
 * Runs the documentation's commands as written through bash and curl, against this gateway (its address in place
 * of 127.0.0.1:8001); ids written as `msg_…` stand for the reader's own: each is one an earlier answer
 * gave (or `ids` holds). Every command must answer success in the envelope.
 */
async function run(commands: string[], ids: Record<string, string> = {}) {
  const env = `KEY=${ADMIN}\nAPI=${gw.url}/api/integration\n`;
  for (const written of commands) {
    expect(written).toMatch(/^curl /);
    const command = written
      .replaceAll('http://127.0.0.1:8001', gw.url)
      .replace(/\b(msg|seg|key|wh|ct|cmp|in)_…/g, (placeholder, kind: string) => ids[kind] ?? placeholder);
    const { stdout } = await promisify(execFile)('bash', ['-c', env + command]);
    const reply = JSON.parse(stdout);
    expect(Object.keys(reply).sort(), command).toEqual([
      'data',
      'details',
      'error_code',
      'message',
      'success',
    ]);
    expect(reply.success, `${command}\n${stdout}`).toBe(true);
    const made = reply.data?.message_id ?? reply.data?.id;
    if (typeof made === 'string') ids[made.slice(0, made.indexOf('_'))] ??= made;
  }
  return ids;
}

it('runs the README’s first send and status as written: every command succeeds', async () => {
  const [key, api, ...curls] = commandsAfter(README, '## Calling the API');
  expect(key).toMatch(/^KEY=/);
  expect(api).toBe('API=http://127.0.0.1:8001/api/integration');
  expect(curls).toHaveLength(2);
  const ids = await run(curls);
  expect(Object.keys(ids)).toEqual(['msg']);
});

it('runs the API page’s curl walkthrough as written: every command succeeds', async () => {
  const [key, api, ...curls] = commandsAfter(API, '# Calling the API');
  expect(key).toMatch(/^KEY=/);
  expect(api).toBe('API=http://127.0.0.1:8001/api/integration');
  expect(curls.length).toBeGreaterThanOrEqual(15);
  const ids = await run(curls);
  expect(Object.keys(ids)).toEqual(expect.arrayContaining(['key', 'msg', 'seg']));
});

it('runs the webhooks page’s management commands as written: every command succeeds', async () => {
  const auth = { Authorization: `Bearer ${ADMIN}`, 'Content-Type': 'application/json' };
  const base = `${gw.url}/api/integration`;
  // A send with a webhook target, so there is a delivery for the commands that name one.
  await fetch(`${base}/v1/sms/send/`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      message: 'x',
      recipients: ['+255754000111'],
      webhook_url: 'https://hooks.example.co.tz/sms',
    }),
  });
  let wh: string | undefined;
  for (let i = 0; i < 100 && !wh; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const list = await (await fetch(`${base}/v1/webhooks/deliveries/`, { headers: auth })).json();
    wh = list.data.deliveries[0]?.id;
  }
  const commands = commandsAfter(WEBHOOKS, '**Managing them**');
  expect(commands).toHaveLength(6);
  await run(commands, { wh: wh! });
});

it('runs the two-way page’s inbound walkthrough as written: every command succeeds', async () => {
  const [account] = await gw.mifumo.admin.listAccounts();
  await gw.mifumo.admin.addNumber(
    { accountId: account!.id, number: '15678', keyword: 'DUKA' },
    { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: false },
  );
  const stored = await gw.mifumo.receive('dev', {
    from: '+255754000111',
    to: '15678',
    text: 'Duka: sukari 2kg?',
  });
  if (stored.outcome !== 'stored') throw new Error('not stored');
  const commands = commandsAfter(TWO_WAY, 'To answer, send with');
  expect(commands).toHaveLength(4);
  const ids = await run(commands, { in: stored.message.id });
  const reply = await fetch(`${gw.url}/api/integration/v1/sms/status/${ids.msg}/`, {
    headers: { Authorization: `Bearer ${ADMIN}` },
  }).then((r) => r.json());
  expect(reply.data).toMatchObject({ reply_to: stored.message.id, sender_id: '15678' });
});

it('runs the two-way page’s opt-out commands as written: every command succeeds', async () => {
  const commands = commandsAfter(TWO_WAY, '## Opt-outs and traffic classes');
  expect(commands).toHaveLength(6);
  await run(commands);
});

it('runs the two-way page’s promotional send as written: accepted with the footer, now or deferred by quiet hours', async () => {
  const [account] = await gw.mifumo.admin.listAccounts();
  await gw.mifumo.admin.addNumber(
    { accountId: account!.id, number: '15680' },
    { defaultRegion: 'TZ', carrierIds: ['dev'], allowPrivateNetworks: false },
  );
  const commands = commandsAfter(TWO_WAY, 'get no footer and never wait');
  expect(commands).toHaveLength(1);
  const { msg } = await run(commands);
  const status = await fetch(`${gw.url}/api/integration/v1/sms/status/${msg}/`, {
    headers: { Authorization: `Bearer ${ADMIN}` },
  }).then((r) => r.json());
  expect(status.data.message).toMatch(/\nKusitisha tuma .*ACHA kwenda 15/);
});

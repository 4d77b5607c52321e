import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway, type TestGateway } from '../../test/harness';
import { REDACTED } from './retention';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 8);

describe.each(ENGINES)('retention on %s', (_engine, open) => {
  let g: TestGateway;
  let now = START;
  let drop = async () => {};
  const clock = { now: () => now };

  beforeAll(async () => {
    const db = await open();
    drop = db.drop;
    g = await createTestGateway({
      storage: db.storage,
      clock,
      config: { retention: { batchSize: 2 }, webhooks: { allowPrivateNetworks: true } },
    });
  });
  afterAll(async () => {
    await g.close();
    await drop();
  });

  const body = async (id: string) =>
    (await g.database.db.selectFrom('messages').select('body').where('id', '=', id).executeTakeFirstOrThrow())
      .body;
  const send = async (message: string, extra: Record<string, unknown> = {}) => {
    const r = await g.call('POST', '/v1/sms/send/', {
      body: { message, recipients: ['+255754000111'], sender_id: 'MIFUMO', ...extra },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.data.message_id as string;
  };

  it('redacts finished messages past messageBodyDays in batches, keeping numbers, statuses and costs; not those still waiting or newer', async () => {
    const old = [await send('Old one'), await send('Old two'), await send('Old three')];
    await g.dispatchAndSettle();
    const waiting = await send('Scheduled far ahead', {
      schedule_time: new Date(START + 200 * DAY).toISOString(),
    });
    now = START + 60 * DAY;
    const recent = await send('Recent');
    await g.dispatchAndSettle();
    now = START + 91 * DAY;

    const pruned = await g.mifumo.pruneRetention();
    expect(pruned.messageBodies).toBe(3); // batches of 2: 2, then 1
    for (const id of old) expect(await body(id)).toBe(REDACTED);
    expect(await body(waiting)).toBe('Scheduled far ahead');
    expect(await body(recent)).toBe('Recent');
    const status = await g.call('GET', `/v1/sms/status/${old[0]}/`);
    expect(status.json.data).toMatchObject({ recipients: [{ phone: '+255754000111', status: 'delivered' }] });
    expect((await g.mifumo.pruneRetention()).messageBodies).toBe(0); // nothing twice
  });

  it('deletes finished webhook events past webhookEventDays, keeps pending ones; redacts inbound texts past inboundDays; deletes expired sessions', async () => {
    now = START + 200 * DAY;
    const hook = await g.call('PUT', '/v1/webhooks/', { body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status, JSON.stringify(hook.json)).toBe(200);
    await send('With events');
    await g.dispatchAndSettle();
    const events = () => g.database.db.selectFrom('webhook_events').select(['id', 'status']).execute();
    const all = await events();
    expect(all.length).toBeGreaterThan(0);
    // One finished, the rest still pending (the receiver never answers).
    await g.database.db
      .updateTable('webhook_events')
      .set({ status: 'succeeded' })
      .where('id', '=', all[0]!.id)
      .execute();
    await g.mifumo.receive('dev', { from: '+255754000222', to: '15000', text: 'Habari yako' });
    await g.database.db
      .insertInto('dashboard_sessions')
      .values({
        id: 'expired-session',
        account_id: g.account.id,
        api_key_id: (await g.database.db.selectFrom('api_keys').select('id').executeTakeFirstOrThrow()).id,
        created_at: new Date(now).toISOString(),
        expires_at: new Date(now + DAY).toISOString(),
      } as never)
      .execute();

    now += 31 * DAY;
    const pruned = await g.mifumo.pruneRetention();
    expect(pruned).toMatchObject({ webhookEvents: 1, dashboardSessions: 1, inboundTexts: 0 });
    expect((await events()).map((e) => e.status)).not.toContain('succeeded');
    expect((await events()).length).toBe(all.length - 1);

    now += 60 * DAY;
    expect((await g.mifumo.pruneRetention()).inboundTexts).toBe(1);
    const inbound = await g.database.db.selectFrom('inbound_messages').select(['body', 'sender']).execute();
    expect(inbound).toEqual([{ body: REDACTED, sender: '+255754000222' }]);
  });
});

import { expect, it } from 'vitest';
import { createTestGateway } from '../../test/harness';
import { scriptedCarrier } from '../../test/scripted-carrier';

const long = 'Habari yako, hii ni ujumbe mrefu sana. '.repeat(10); // 3 GSM-7 parts

async function withLongMessage(
  run: (c: ReturnType<typeof scriptedCarrier>, status: () => Promise<unknown>) => Promise<void>,
) {
  const c = scriptedCarrier({ idPerPart: true });
  const g = await createTestGateway({ adapter: c.adapter, config: { messages: { maxLength: null } } });
  try {
    const sent = await g.call('POST', '/v1/sms/send/', {
      body: { message: long, recipients: ['+255754000111'] },
    });
    await g.mifumo.dispatchDue();
    const id = sent.json.data.message_id;
    await run(c, async () => (await g.call('GET', `/v1/sms/status/${id}/`)).json.data.recipients[0].status);
  } finally {
    await g.close();
  }
}

it('a long message is delivered only when every part is', async () => {
  await withLongMessage(async (c, status) => {
    expect(c.calls[0]!.parts).toHaveLength(3);
    expect(await c.report('dev-1.2')).toBe('applied');
    expect(await c.report('dev-1.1')).toBe('applied');
    expect(await status()).toBe('sent');
    expect(await c.report('dev-1.1')).toBe('duplicate');
    expect(await c.report('dev-1.3')).toBe('applied');
    expect(await status()).toBe('delivered');
  });
});

it('fails as soon as any part fails, and a later delivered part changes nothing', async () => {
  await withLongMessage(async (c, status) => {
    await c.report('dev-1.1');
    expect(await c.report('dev-1.2', { status: 'failed', errorCode: 'UNDELIV' })).toBe('applied');
    expect(await status()).toBe('failed');
    await c.report('dev-1.3');
    expect(await status()).toBe('failed');
  });
});

it('a receipt matches its part under another spelling of the id', async () => {
  await withLongMessage(async (c, status) => {
    for (const part of ['1', '2', '3'])
      expect(await c.report(`DEV-1.${part}`, { alsoKnownAs: ['nope', `dev-1.${part}`] })).toBe('applied');
    expect(await status()).toBe('delivered');
  });
});

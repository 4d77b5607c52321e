import { startSmsc } from '@mifumo/adapters/smpp';
import { describe, expect, it } from 'vitest';
import { ENGINES, smppGateway } from './testing/smpp-gateway';
import { until } from './testing/until';

const KEY = 'mk_test_smpp_inbound_0123456789abcd';
const RULES = { defaultRegion: 'TZ', carrierIds: ['smsc'], allowPrivateNetworks: false };

describe.each(ENGINES)('two-way SMS over SMPP on %s', (_name, open) => {
  it('deliver_sm MO reaches the account of its number and keyword, links to what was sent, and a reply goes back from that number', async () => {
    const smsc = await startSmsc({ systemId: 'mifumo', password: 'secret', receiptDelayMs: 10 });
    const database = await open();
    const { gw, call } = await smppGateway({
      port: smsc.port,
      databaseUrl: database.url,
      key: KEY,
      dispatchIntervalMs: 50,
    });
    try {
      const admin = gw.mifumo.admin;
      const [a] = await admin.listAccounts();
      const b = await admin.createAccount({ name: 'Shule', balance: 100 });
      const { key: bKey } = await admin.createKey({ accountId: b.id, name: 'b', permissions: ['read'] });
      await admin.addNumber({ accountId: a!.id, number: '15678', keyword: 'DUKA' }, RULES);
      await admin.addNumber({ accountId: b.id, number: '15678', keyword: 'SHULE' }, RULES);
      await admin.addNumber({ accountId: a!.id, number: '+255754999000' }, RULES);

      const sent = await call('POST', '/v1/sms/send/', { message: 'Karibu', recipients: ['+255754000111'] });
      expect(sent.success).toBe(true);
      await until(
        () => call('GET', `/v1/sms/status/${sent.data.message_id}/`),
        (s) => s.data.status === 'delivered',
      );

      smsc.sendMo({
        systemId: 'mifumo',
        from: '+255754000111',
        to: '255754999000',
        text: 'Asante, bei gani?',
      });
      smsc.sendMo({ systemId: 'mifumo', from: '+255754000222', to: '15678', text: 'duka sukari 2kg' });
      smsc.sendMo({ systemId: 'mifumo', from: '+255754000333', to: '15678', text: 'Shule: ada ya muhula' });
      smsc.sendMo({ systemId: 'mifumo', from: '+255754000444', to: '11111', text: 'anyone?' });
      await until(
        () => admin.listInbound(),
        (all) => all.length === 4,
      );

      const mine = (await call('GET', '/v1/sms/inbound/')).data.messages as Record<string, unknown>[];
      const byText = Object.fromEntries(mine.map((m) => [m.text, m]));
      expect(Object.keys(byText).sort()).toEqual(['Asante, bei gani?', 'duka sukari 2kg']);
      expect(byText['Asante, bei gani?']).toMatchObject({
        from: '+255754000111',
        to: '+255754999000',
        keyword: null,
        carrier_id: 'smsc',
        in_reply_to: sent.data.message_id,
      });
      expect(byText['duka sukari 2kg']).toMatchObject({ to: '15678', keyword: 'DUKA', in_reply_to: null });
      const theirs = (await call('GET', '/v1/sms/inbound/', undefined, bKey)).data.messages;
      expect(theirs).toMatchObject([
        { from: '+255754000333', text: 'Shule: ada ya muhula', keyword: 'SHULE' },
      ]);
      const hidden = await call('GET', `/v1/sms/inbound/${theirs[0].id}/`);
      expect(hidden.error_code).toBe('NOT_FOUND');
      expect((await admin.listInbound({ unassigned: true })).map((m) => m.text)).toEqual(['anyone?']);

      // The reply: to the sender, from the number it came in on, through the SMSC it came by.
      const question = byText['Asante, bei gani?']!;
      const reply = await call('POST', '/v1/sms/send/', { message: 'Elfu mbili', reply_to: question.id });
      expect(reply.data).toMatchObject({ recipients: ['+255754000111'], sender_id: '+255754999000' });
      const submit = await until(
        async () =>
          smsc.submits.find((s) => s.sm.destination_addr === '255754000111' && s.sm.source_addr !== 'MIFUMO'),
        (s) => s !== undefined,
      );
      expect(submit!.sm.source_addr).toBe('255754999000');
      const status = await call('GET', `/v1/sms/status/${reply.data.message_id}/`);
      expect(status.data.reply_to).toBe(question.id);
    } finally {
      await gw.close();
      await smsc.close();
      await database.drop();
    }
  });
});

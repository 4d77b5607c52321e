import { startSmsc } from '@mifumo/adapters/smpp';
import { describe, expect, it } from 'vitest';
import { ENGINES, smppGateway } from './testing/smpp-gateway';
import { until } from './testing/until';

const KEY = 'mk_test_smpp_keywords_0123456789abc';
const RULES = { defaultRegion: 'TZ', carrierIds: ['smsc'], allowPrivateNetworks: false };

describe.each(ENGINES)('keywords by SMS over SMPP on %s', (_name, open) => {
  it('STOP/START/HELP opt out, back in and are answered from the number; suppression and charges follow', async () => {
    const smsc = await startSmsc({ systemId: 'mifumo', password: 'secret', receiptDelayMs: 10 });
    const database = await open();
    const lines: string[] = [];
    const { gw, call } = await smppGateway({
      port: smsc.port,
      databaseUrl: database.url,
      key: KEY,
      logged: lines,
      dispatchIntervalMs: 50,
    });
    try {
      const admin = gw.mifumo.admin;
      const [a] = await admin.listAccounts();
      const b = await admin.createAccount({ name: 'Shule', balance: 100 });
      const { key: bKey } = await admin.createKey({ accountId: b.id, name: 'b', permissions: ['read'] });
      const poor = await admin.createAccount({ name: 'Mama', balance: 0 });
      await admin.addNumber({ accountId: a!.id, number: '+255754999000' }, RULES);
      await admin.addNumber({ accountId: a!.id, number: '15678', keyword: 'DUKA' }, RULES);
      await admin.addNumber({ accountId: b.id, number: '15678', keyword: 'SHULE' }, RULES);
      await admin.addNumber({ accountId: poor.id, number: '+255754999111' }, RULES);

      let received = 0;
      /** Sends an MO and waits until it is stored (its keyword's effect is in the same step). */
      const mo = async (from: string, to: string, text: string) => {
        smsc.sendMo({ systemId: 'mifumo', from, to, text });
        received++;
        await until(
          () => admin.listInbound(),
          (all) => all.length === received,
        );
      };
      /** The replies the SMSC got for `to` (national digits after 255) from `source`. */
      const repliesTo = (to: string, source = '255754999000') =>
        smsc.submits.filter((s) => s.sm.destination_addr === `255${to}` && s.sm.source_addr === source);
      const answered = (to: string, count = 1, source = '255754999000') =>
        until(
          async () => repliesTo(to, source),
          (r) => r.length >= count,
        );
      const optedOut = async (key = KEY) =>
        (
          (await call('GET', '/v1/opt-outs/', undefined, key)).data.opt_outs as { phone_number: string }[]
        ).map((o) => o.phone_number);
      const history = async (phone: string) =>
        (await call('GET', `/v1/opt-outs/${encodeURIComponent(phone)}/history/`)).data.events;

      // ACHA: opted out (source keyword, the inbound's id logged), answered from the number.
      await mo('+255754000111', '255754999000', 'ACHA');
      const [stop] = await admin.listInbound();
      expect((await call('GET', '/v1/opt-outs/')).data.opt_outs).toMatchObject([
        { phone_number: '+255754000111', source: 'keyword' },
      ]);
      expect(await history('+255754000111')).toMatchObject([
        { action: 'opted_out', source: 'keyword', inbound_id: stop!.id },
      ]);
      expect(await answered('754000111')).toHaveLength(1);
      await mo('+255754000222', '255754999000', 'Acha tafadhali');
      await mo('+255754000333', '255754999000', 'stop');
      expect((await optedOut()).sort()).toEqual(['+255754000111', '+255754000222', '+255754000333']);
      expect(await answered('754000222')).toHaveLength(1);
      expect(await answered('754000333')).toHaveLength(1);

      // Transactional and promotional sends leave the number out, uncharged; an OTP goes.
      const balance = async () => (await call('GET', '/v1/sms/balance/')).data.balance as number;
      const before = await balance();
      const tx = await call('POST', '/v1/sms/send/', {
        message: 'Oda yako',
        recipients: ['+255754000111', '+255754000999'],
      });
      expect(tx.data).toMatchObject({
        recipients: ['+255754000999'],
        suppressed: [{ phone: '+255754000111' }],
      });
      const promo = await call('POST', '/v1/sms/send/', {
        message: 'Punguzo',
        recipients: ['+255754000111'],
        traffic_class: 'promotional',
      });
      expect(promo.error_code).toBe('RECIPIENT_OPTED_OUT');
      const otp = await call('POST', '/v1/sms/send/', {
        message: 'Code 1234',
        recipients: ['+255754000111'],
        traffic_class: 'otp',
      });
      expect(otp.success).toBe(true);
      expect(await balance()).toBe(before - 20);

      // START: back in, answered; the history shows both.
      await mo('+255754000111', '255754999000', 'START');
      expect((await history('+255754000111')).map((e: { action: string }) => e.action)).toEqual([
        'opted_out',
        'opted_in',
      ]);
      expect(await optedOut()).not.toContain('+255754000111');
      expect(await answered('754000111', 2)).toHaveLength(2);

      // HELP and MSAADA answered; a plain reply only stored.
      await mo('+255754000444', '255754999000', 'HELP');
      await mo('+255754000555', '255754999000', 'msaada');
      await mo('+255754000666', '255754999000', 'Asante sana');
      expect(await answered('754000444')).toHaveLength(1);
      expect(await answered('754000555')).toHaveLength(1);

      // A keyword on the shared short code: that account only.
      await mo('+255754000777', '15678', 'DUKA ACHA');
      expect(await optedOut()).toContain('+255754000777');
      expect(await optedOut(bKey)).toEqual([]);
      expect(await answered('754000777', 1, '15678')).toHaveLength(1);

      // A number no account has: nothing changes.
      await mo('+255754000888', '11111', 'STOP');
      expect(await optedOut()).not.toContain('+255754000888');

      // No balance for the answer: the opt-out holds, no answer, one log line.
      await mo('+255754000999', '255754999111', 'STOP');
      expect(await gw.mifumo.consent.suppressed(poor.id, ['+255754000999'])).toEqual(
        new Set(['+255754000999']),
      );
      const [last] = await admin.listInbound();
      // The answer is attempted after the inbound is stored: wait for its log line.
      await until(
        async () => lines.length,
        (n) => n > 0,
      );
      expect(lines).toEqual([
        `Keyword reply of account ${poor.id} to inbound ${last!.id} not sent (INSUFFICIENT_BALANCE: Account balance too low for this message)`,
      ]);
      expect(repliesTo('754000999', '255754999111')).toEqual([]);
      // None answered what was only stored or not ours.
      expect(repliesTo('754000666')).toEqual([]);
      expect(smsc.submits.filter((s) => s.sm.destination_addr === '255754000888')).toEqual([]);
    } finally {
      await gw.close();
      await smsc.close();
      await database.drop();
    }
  });
});

import { describe, expect, it } from 'vitest';
import {
  blankShortMessage,
  ESM_DELIVERY_RECEIPT,
  MESSAGE_STATE,
  type ShortMessage,
  TLV,
  tlvOf,
  tlvString,
} from './pdu';
import { canonicalId, parseReceipt, receiptDate, submitIdsOf } from './receipt';

const receipt = (text: string, tlvs: [number, Uint8Array][] = []): ShortMessage => ({
  ...blankShortMessage(),
  esm_class: ESM_DELIVERY_RECEIPT,
  short_message: new TextEncoder().encode(text),
  tlvs: new Map(tlvs),
});

describe('delivery receipts', () => {
  it.each([
    [
      'id:0A1B2C sub:001 dlvrd:001 submit date:2612011030 done date:2612011031 stat:DELIVRD err:000 Text:Habari',
      { carrierMessageId: 'a1b2c', status: 'delivered' },
    ],
    [
      'id:77 stat:UNDELIV err:034 text:x',
      {
        carrierMessageId: '77',
        status: 'failed',
        errorCode: 'UNDELIV',
        errorMessage: 'The SMSC reported UNDELIV (err 034)',
      },
    ],
    [
      'stat:EXPIRED id:5 done date:261201103105 TEXT:',
      { carrierMessageId: '5', status: 'failed', at: Date.UTC(2026, 11, 1, 10, 31, 5) },
    ],
    [
      'id:5 done date:20261201103105 stat:DELETED',
      { status: 'failed', at: Date.UTC(2026, 11, 1, 10, 31, 5) },
    ],
    ['id:5 stat:REJECTD', { status: 'failed', errorCode: 'REJECTD' }],
    ['id:5 stat:UNKNOWN', { status: 'failed' }],
    ['id:5 stat:delivrd', { status: 'delivered' }],
  ])('reads %j', (text, expected) => {
    expect(parseReceipt(receipt(text))).toMatchObject(expected);
  });

  it('a done date to the minute is left out: the time the receipt arrives is finer', () => {
    expect(parseReceipt(receipt('id:5 done date:2612011031 stat:DELIVRD'))).not.toHaveProperty('at');
  });

  it.each(['id:5 stat:ENROUTE', 'id:5 stat:ACCEPTD', 'stat:DELIVRD', 'id:5', 'hello'])(
    '%j is not a final receipt',
    (text) => {
      expect(parseReceipt(receipt(text))).toBeNull();
    },
  );

  it('TLVs win over the text, and the text’s other spelling of the id is offered too', () => {
    const r = parseReceipt(
      receipt('id:660 stat:DELIVRD', [
        [TLV.receipted_message_id, tlvString('00000294')],
        [TLV.message_state, tlvOf(MESSAGE_STATE.UNDELIVERABLE, 1)],
      ]),
      'same',
    );
    expect(r).toMatchObject({
      carrierMessageId: '294',
      alsoKnownAs: ['660'],
      status: 'failed',
      errorCode: 'UNDELIV',
    });
  });

  it('converts ids to the submit response’s radix when the carrier reports in the other', () => {
    expect(parseReceipt(receipt('id:10 stat:DELIVRD'), 'decimal')?.carrierMessageId).toBe('a');
    expect(parseReceipt(receipt('id:00FF stat:DELIVRD'), 'hex')?.carrierMessageId).toBe('255');
    expect(submitIdsOf('12345678901234567890123', 'decimal')).toEqual(['29d42b64e76714244cb']); // not 29d42b64e7671400000, as a JS number would give;
    expect(submitIdsOf('xyz', 'decimal')).toEqual([]);
    expect(canonicalId(' 000ABC ')).toBe('abc');
    expect(canonicalId('0')).toBe('0');
  });

  it.each([
    ['100000001', 'auto', ['100000001', '5f5e101', '4294967297']],
    ['0005F5E101', 'auto', ['5f5e101', '100000001']],
    ['ATX-1', 'auto', ['atx-1']],
    ['0005F5E101', 'same', ['5f5e101']],
  ] as const)('%s spelled %s: %j, most likely first', (id, format, spellings) => {
    expect(submitIdsOf(id, format)).toEqual(spellings);
  });

  it('by default offers the id as given, then in the other radix (TLV and text first)', () => {
    const r = parseReceipt(
      receipt('id:660 stat:DELIVRD', [[TLV.receipted_message_id, tlvString('00000294')]]),
    );
    expect(r).toMatchObject({ carrierMessageId: '294', alsoKnownAs: ['660', '126', '1632'] });
  });

  it.each([
    ['2612011030', Date.UTC(2026, 11, 1, 10, 30)],
    ['261201103059', Date.UTC(2026, 11, 1, 10, 30, 59)],
    ['20261201103059', Date.UTC(2026, 11, 1, 10, 30, 59)],
    ['2613011030', undefined],
    ['26120110', undefined],
    ['261201253000', undefined],
  ])('date %s', (text, at) => {
    expect(receiptDate(text)).toBe(at);
  });
});

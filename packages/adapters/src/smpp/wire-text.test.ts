import { analyzeMessage, type OutboundMessage } from '@mifumo/core';
import { decodeGsm7 } from '@mifumo/core/encoding';
import { describe, expect, it } from 'vitest';
import { ESM_UDHI, TLV, tlvNumber } from './pdu';
import { decodeText, readHeader, type WireOptions, wireParts } from './wire-text';

const message = (
  text: string,
  nationalLanguages: ('turkish' | 'spanish' | 'portuguese')[] = [],
): OutboundMessage => {
  const a = analyzeMessage(text, { nationalLanguages });
  return {
    id: 'r',
    messageId: 'm',
    to: '+255754000111',
    from: 'X',
    text: a.text,
    encoding: a.encoding,
    parts: a.parts,
    nationalLanguage: a.nationalLanguage,
  };
};
const udh: WireOptions = { gsm7DataCoding: 0, gsm7Wire: 'unpacked', longMessages: 'udh' };
const long = `${'Bei ni €5 '.repeat(20)}mwisho`;

describe('wireParts', () => {
  it('a one-part GSM-7 message: septets one per octet, data_coding 0, no header', () => {
    expect(wireParts(message('Hi@'), udh, 1)).toEqual([
      { esm_class: 0, data_coding: 0, short_message: Uint8Array.from([0x48, 0x69, 0x00]), tlvs: new Map() },
    ]);
  });

  it('a long GSM-7 message: a concatenation UDH per part, every part at most 140 octets packed', () => {
    const parts = wireParts(message(long), udh, 0x1234);
    expect(parts).toHaveLength(message(long).parts.length);
    parts.forEach((p, i) => {
      expect(p.esm_class).toBe(ESM_UDHI);
      expect([...p.short_message.subarray(0, 6)]).toEqual([5, 0, 3, 0x34, parts.length, i + 1]);
      expect(Math.ceil(((p.short_message.length - 6) * 7) / 8) + 6).toBeLessThanOrEqual(140);
    });
    const text = parts.map((p) => decodeGsm7(p.short_message.subarray(6))).join('');
    expect(text).toBe(long);
  });

  it('packed GSM-7 after a header pads to the septet boundary', () => {
    const [first] = wireParts(message(long), { ...udh, gsm7Wire: 'packed' }, 1);
    expect(first!.short_message.length).toBeLessThanOrEqual(140);
    const info = readHeader(first!.short_message);
    expect(
      decodeText(first!.short_message, 0, { gsm7Wire: 'packed', headerOctets: info.octets, language: null }),
    ).toBe(message(long).parts[0]);
  });

  it('UCS-2 goes as data_coding 8; SAR puts the concatenation in TLVs; payload sends the whole text once', () => {
    const emoji = message('Karibu 😀 '.repeat(10));
    const sar = wireParts(emoji, { ...udh, longMessages: 'sar' }, 0x1234);
    expect(sar.every((p) => p.data_coding === 8 && p.esm_class === 0)).toBe(true);
    expect(
      sar.map((p) => [
        tlvNumber(p.tlvs, TLV.sar_msg_ref_num),
        tlvNumber(p.tlvs, TLV.sar_total_segments),
        tlvNumber(p.tlvs, TLV.sar_segment_seqnum),
      ]),
    ).toEqual(sar.map((_, i) => [0x1234, sar.length, i + 1]));
    const payload = wireParts(emoji, { ...udh, longMessages: 'payload' }, 1);
    expect(payload).toHaveLength(1);
    expect(payload[0]!.short_message.length).toBe(0);
    expect(
      decodeText(payload[0]!.tlvs.get(TLV.message_payload)!, 8, {
        gsm7Wire: 'unpacked',
        headerOctets: 0,
        language: null,
      }),
    ).toBe(emoji.text);
  });

  it('a national shift table rides in every part’s header', () => {
    const turkish = message('Ğ'.repeat(200), ['turkish']);
    const parts = wireParts(turkish, udh, 9);
    expect(readHeader(parts[0]!.short_message)).toMatchObject({
      nationalLanguage: 'turkish',
      concatenation: { reference: 9, total: parts.length, sequence: 1 },
    });
    const [one] = wireParts(message('Ğ', ['turkish']), udh, 9);
    expect(one!.esm_class).toBe(ESM_UDHI);
    expect(readHeader(one!.short_message)).toEqual({ nationalLanguage: 'turkish', octets: 4 });
  });

  it('a Latin-1 carrier gets data_coding 3 and Latin-1 octets', () => {
    const [p] = wireParts(message('Habari é'), { ...udh, gsm7DataCoding: 3, gsm7Wire: 'latin1' }, 1);
    expect(p).toMatchObject({
      data_coding: 3,
      short_message: new TextEncoder().encode('Habari ').length ? expect.any(Uint8Array) : null,
    });
    expect([...p!.short_message]).toEqual([...'Habari é'].map((c) => c.charCodeAt(0)));
  });
});

describe('decodeText', () => {
  it.each([
    [0, Uint8Array.from([0x48, 0x1b, 0x65]), 'H€'],
    [8, Uint8Array.from([0xd8, 0x3d, 0xde, 0x00]), '😀'],
    [3, Uint8Array.from([0xe9]), 'é'],
  ])('data_coding %i', (dc, bytes, text) => {
    expect(decodeText(bytes, dc, { gsm7Wire: 'unpacked', headerOctets: 0, language: null })).toBe(text);
  });
});

import { describe, expect, it } from 'vitest';
import {
  blankShortMessage,
  decodePdu,
  encodePdu,
  type Pdu,
  PduError,
  PduFramer,
  type ShortMessage,
  TLV,
  tlvNumber,
  tlvOf,
  tlvString,
  tlvText,
} from './pdu';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const sm = (over: Partial<ShortMessage> = {}): ShortMessage => ({
  ...blankShortMessage(),
  source_addr_ton: 5,
  source_addr_npi: 0,
  source_addr: 'MIFUMO',
  destination_addr: '255754000111',
  registered_delivery: 1,
  short_message: Uint8Array.from([0x48, 0x69]),
  ...over,
});

describe('SMPP PDU codec', () => {
  it('encodes enquire_link and a bind as SMPP 3.4 lays them out', () => {
    expect(hex(encodePdu({ command: 'enquire_link', status: 0, sequence: 1 }))).toBe(
      '000000100000001500000000' + '00000001',
    );
    const bind = encodePdu({
      command: 'bind_transceiver',
      status: 0,
      sequence: 7,
      bind: {
        system_id: 'ab',
        password: 'pw',
        system_type: '',
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: '',
      },
    });
    expect(hex(bind)).toBe(
      `${'0000001b' + '00000009' + '00000000' + '00000007'}616200707700003400000000`.slice(0, 54),
    );
    expect(bind.length).toBe(27);
  });

  it('a submit_sm with TLVs survives the round trip byte for byte', () => {
    const pdu: Pdu = {
      command: 'submit_sm',
      status: 0,
      sequence: 42,
      sm: sm({
        tlvs: new Map([
          [TLV.sar_msg_ref_num, tlvOf(513, 2)],
          [TLV.message_payload, Uint8Array.from([1, 2, 3])],
        ]),
      }),
    };
    const bytes = encodePdu(pdu);
    const back = decodePdu(bytes);
    expect(back).toEqual(pdu);
    expect(hex(encodePdu(back))).toBe(hex(bytes));
    if (back.command === 'submit_sm') expect(tlvNumber(back.sm.tlvs, TLV.sar_msg_ref_num)).toBe(513);
  });

  it('an error submit_sm_resp has no body; a bind_resp may come without one', () => {
    const resp = encodePdu({ command: 'submit_sm_resp', message_id: 'ignored', status: 0x58, sequence: 3 });
    expect(resp.length).toBe(16);
    expect(decodePdu(resp)).toEqual({ command: 'submit_sm_resp', message_id: '', status: 0x58, sequence: 3 });
  });

  it('C-Octet strings and short_message are bounded', () => {
    expect(() =>
      encodePdu({
        command: 'submit_sm',
        status: 0,
        sequence: 1,
        sm: sm({ destination_addr: '1'.repeat(21) }),
      }),
    ).toThrow(/destination_addr/);
    expect(() =>
      encodePdu({
        command: 'submit_sm',
        status: 0,
        sequence: 1,
        sm: sm({ short_message: new Uint8Array(255) }),
      }),
    ).toThrow(/254/);
  });

  it('reads TLV text and numbers', () => {
    const tlvs = new Map([
      [TLV.receipted_message_id, tlvString('0A1B')],
      [TLV.message_state, tlvOf(2, 1)],
    ]);
    expect(tlvText(tlvs, TLV.receipted_message_id)).toBe('0A1B');
    expect(tlvNumber(tlvs, TLV.message_state)).toBe(2);
    expect(tlvNumber(tlvs, TLV.sar_total_segments)).toBeUndefined();
  });

  it('frames PDUs split and joined anyhow across chunks', () => {
    const a = encodePdu({ command: 'enquire_link', status: 0, sequence: 1 });
    const b = encodePdu({ command: 'submit_sm', status: 0, sequence: 2, sm: sm() });
    const stream = new Uint8Array([...a, ...b, ...a]);
    const framer = new PduFramer();
    const frames = [stream.subarray(0, 5), stream.subarray(5, 30), stream.subarray(30)].flatMap((c) =>
      framer.push(c),
    );
    expect(frames.map((f) => decodePdu(f).sequence)).toEqual([1, 2, 1]);
  });

  it.each([
    ['a length below the header', '0000000a0000001500000000'],
    ['a length past any PDU', '7fffffff0000001500000000'],
  ])('refuses %s', (_n, bytes) => {
    expect(() => new PduFramer().push(Buffer.from(`${bytes}00000001`, 'hex'))).toThrow(PduError);
  });

  it('an unknown command or a truncated body is a PduError with the status to answer', () => {
    const unknown = Buffer.from('00000010000000ff0000000000000009', 'hex');
    expect(() => decodePdu(unknown)).toThrow(expect.objectContaining({ status: 0x03, sequence: 9 }));
    const truncated = encodePdu({ command: 'submit_sm', status: 0, sequence: 4, sm: sm() }).slice(0, 30);
    new DataView(truncated.buffer).setUint32(0, 30);
    expect(() => decodePdu(truncated)).toThrow(PduError);
  });
});

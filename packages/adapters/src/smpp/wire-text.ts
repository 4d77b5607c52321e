import type { OutboundMessage } from '@mifumo/core';
import {
  decodeGsm7,
  decodeUcs2,
  encodeGsm7,
  encodeUcs2,
  fillBitsAfter,
  NATIONAL_LANGUAGES,
  NATIONAL_SHIFT_TABLES,
  type NationalLanguage,
  packSeptets,
  unpackSeptets,
  userDataHeader,
} from '@mifumo/core/encoding';
import { ESM_UDHI, TLV, tlvOf } from './pdu';

/** How GSM-7 text goes on the wire: septets one per octet (SMPP's usual), packed, or as Latin-1 octets. */
export type Gsm7Wire = 'unpacked' | 'packed' | 'latin1';
/** How a long message travels: a UDH in each part, SAR TLVs, or one message_payload. */
export type LongMessageMode = 'udh' | 'sar' | 'payload';

export interface WireOptions {
  /** data_coding for GSM-7 text: 0 (the SMSC default alphabet) unless the carrier wants e.g. 3 (Latin-1). */
  gsm7DataCoding: number;
  gsm7Wire: Gsm7Wire;
  longMessages: LongMessageMode;
}

/** The body of one submit_sm: what differs between the parts of a message. */
export interface WirePart {
  esm_class: number;
  data_coding: number;
  short_message: Uint8Array;
  tlvs: ReadonlyMap<number, Uint8Array>;
}

/** Parts without TLVs share this one (allocating a Map per part shows up in the benchmark). */
const NO_TLVS: ReadonlyMap<number, Uint8Array> = new Map();

function latin1Bytes(text: string): Uint8Array {
  return Uint8Array.from(
    [...text].map((c) => {
      const code = c.codePointAt(0)!;
      return code <= 0xff ? code : 0x3f; // '?': configuration says this carrier takes Latin-1 only
    }),
  );
}

function gsmBytes(text: string, options: WireOptions, language: NationalLanguage | null, udhOctets: number) {
  if (options.gsm7Wire === 'latin1') return latin1Bytes(text);
  const septets = encodeGsm7(text, language);
  return options.gsm7Wire === 'packed'
    ? packSeptets(septets, udhOctets ? fillBitsAfter(udhOctets) : 0)
    : septets;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

/**
 * The submit_sm bodies for a message, from the parts the core split it into: one per part with a UDH
 * (concatenation, and the national shift element) or SAR TLVs, or a single one with the whole text in
 * message_payload. `reference` ties the parts together.
 */
export function wireParts(message: OutboundMessage, options: WireOptions, reference: number): WirePart[] {
  const ucs2 = message.encoding === 'UCS-2';
  const data_coding = ucs2 ? 8 : options.gsm7DataCoding;
  const language = ucs2 ? null : message.nationalLanguage;
  const encode = (text: string, udhOctets: number) =>
    ucs2 ? encodeUcs2(text) : gsmBytes(text, options, language, udhOctets);
  const total = message.parts.length;

  // One part and no shift table, the common case: no header to build.
  if (total === 1 && !language)
    return [{ esm_class: 0, data_coding, short_message: encode(message.parts[0]!, 0), tlvs: NO_TLVS }];
  if (options.longMessages === 'payload' && total > 1)
    return [
      {
        esm_class: 0,
        data_coding,
        short_message: new Uint8Array(0),
        tlvs: new Map([[TLV.message_payload, encode(message.text, 0)]]),
      },
    ];
  return message.parts.map((text, i) => {
    if (options.longMessages === 'sar' && total > 1) {
      const header = userDataHeader({ nationalLanguage: language });
      return {
        esm_class: header.length ? ESM_UDHI : 0,
        data_coding,
        short_message: concat(header, encode(text, header.length)),
        tlvs: new Map([
          [TLV.sar_msg_ref_num, tlvOf(reference & 0xffff, 2)],
          [TLV.sar_total_segments, tlvOf(total, 1)],
          [TLV.sar_segment_seqnum, tlvOf(i + 1, 1)],
        ]),
      };
    }
    const header = userDataHeader({
      concatenation: total > 1 ? { reference: reference & 0xff, total, sequence: i + 1 } : undefined,
      nationalLanguage: language,
    });
    return {
      esm_class: header.length ? ESM_UDHI : 0,
      data_coding,
      short_message: header.length ? concat(header, encode(text, header.length)) : encode(text, 0),
      tlvs: NO_TLVS,
    };
  });
}

/** What a user data header says: where the part sits in a concatenated message, and the shift table. */
export interface HeaderInfo {
  concatenation?: { reference: number; total: number; sequence: number };
  nationalLanguage: NationalLanguage | null;
  /** Octets of the header, its length octet included. */
  octets: number;
}

const LANGUAGE_BY_ID = new Map(NATIONAL_LANGUAGES.map((l) => [NATIONAL_SHIFT_TABLES[l].id, l]));

/** Reads a UDH at the start of `data` (TS 23.040 §9.2.3.24), tolerating elements it does not know. */
export function readHeader(data: Uint8Array): HeaderInfo {
  const length = data[0] ?? 0;
  const info: HeaderInfo = { nationalLanguage: null, octets: Math.min(data.length, length + 1) };
  for (let i = 1; i + 1 < info.octets; ) {
    const iei = data[i]!;
    const len = data[i + 1]!;
    const v = data.subarray(i + 2, i + 2 + len);
    if (iei === 0x00 && len === 3) info.concatenation = { reference: v[0]!, total: v[1]!, sequence: v[2]! };
    if (iei === 0x08 && len === 4)
      info.concatenation = { reference: (v[0]! << 8) | v[1]!, total: v[2]!, sequence: v[3]! };
    if (iei === 0x24 && len === 1) info.nationalLanguage = LANGUAGE_BY_ID.get(v[0]!) ?? null;
    i += 2 + len;
  }
  return info;
}

/**
 * The text of an incoming short message (or payload) in `data_coding`: 0 as GSM-7 (one septet per
 * octet, or packed when the carrier packs), 8 as UCS-2, 3 and anything else as Latin-1, 1 as ASCII.
 */
export function decodeText(
  data: Uint8Array,
  dataCoding: number,
  options: { gsm7Wire: Gsm7Wire; headerOctets: number; language: NationalLanguage | null },
): string {
  const body = data.subarray(options.headerOctets);
  if (dataCoding === 8) return decodeUcs2(body);
  if (dataCoding === 0 && options.gsm7Wire !== 'latin1') {
    if (options.gsm7Wire === 'packed') {
      const fill = options.headerOctets ? fillBitsAfter(options.headerOctets) : 0;
      const count = Math.floor((body.length * 8 - fill) / 7);
      return decodeGsm7(unpackSeptets(body, count, fill), options.language);
    }
    return decodeGsm7(body, options.language);
  }
  return new TextDecoder('latin1').decode(body);
}

import type { DeliveryReport } from '@mifumo/core';
import { MESSAGE_STATE, type ShortMessage, TLV, tlvNumber, tlvText } from './pdu';

/** A receipt's final outcome by its `stat:` word; ENROUTE and ACCEPTD are not final (null). */
const STAT: Record<string, DeliveryReport['status'] | null> = {
  DELIVRD: 'delivered',
  EXPIRED: 'failed',
  DELETED: 'failed',
  UNDELIV: 'failed',
  REJECTD: 'failed',
  UNKNOWN: 'failed',
  ACCEPTD: null,
  ENROUTE: null,
};
const STATE_WORD: Record<number, string> = {
  [MESSAGE_STATE.ENROUTE]: 'ENROUTE',
  [MESSAGE_STATE.DELIVERED]: 'DELIVRD',
  [MESSAGE_STATE.EXPIRED]: 'EXPIRED',
  [MESSAGE_STATE.DELETED]: 'DELETED',
  [MESSAGE_STATE.UNDELIVERABLE]: 'UNDELIV',
  [MESSAGE_STATE.ACCEPTED]: 'ACCEPTD',
  [MESSAGE_STATE.UNKNOWN]: 'UNKNOWN',
  [MESSAGE_STATE.REJECTED]: 'REJECTD',
};

/**
 * An id in the form the adapter stores it: lower case, leading zeros dropped. SMSCs answer a submit
 * and report on it in different spellings of the same id; this one is shared by all but hex/decimal.
 */
export function canonicalId(id: string): string {
  return id
    .trim()
    .toLowerCase()
    .replace(/^0+(?=.)/, '');
}

/**
 * How a carrier's receipts spell ids relative to its submit_sm_resp: `auto` (as given, else in the other
 * radix), or forced: the `same` way, or in `decimal` or `hex` where the responses use the other.
 */
export type ReceiptIdFormat = 'auto' | 'same' | 'decimal' | 'hex';

const asHex = (decimal: string) => (/^[0-9]+$/.test(decimal) ? BigInt(decimal).toString(16) : undefined);
const asDecimal = (hex: string) =>
  /^[0-9a-f]{1,32}$/.test(hex) ? BigInt(`0x${hex}`).toString(10) : undefined;

/**
 * The spellings a receipt's id may have had in its submit_sm_resp (canonical), most likely first:
 * converted from decimal to hex or back when the carrier is configured so (BigInt: ids are never JS
 * numbers); with `auto`, as given and then in the other radix (both ways: the core tries each among
 * the carrier's submissions still waiting for a report, in this order). Empty when none can be.
 */
export function submitIdsOf(id: string, format: ReceiptIdFormat): string[] {
  const base = canonicalId(id);
  const spellings =
    format === 'decimal'
      ? [asHex(base)]
      : format === 'hex'
        ? [asDecimal(base)]
        : format === 'same'
          ? [base]
          : [base, asHex(base), asDecimal(base)];
  return [...new Set(spellings.filter((s): s is string => s !== undefined))];
}

/** `YYMMDDhhmm`, `YYMMDDhhmmss` or `YYYYMMDDhhmmss` as UTC milliseconds; undefined when it is none of them. */
export function receiptDate(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const d = text.length === 14 ? text : text.length === 10 || text.length === 12 ? `20${text}` : null;
  if (d === null || !/^\d+$/.test(d)) return undefined;
  const [y, mo, day, h, mi, s] = [
    d.slice(0, 4),
    d.slice(4, 6),
    d.slice(6, 8),
    d.slice(8, 10),
    d.slice(10, 12),
    d.slice(12, 14) || '0',
  ].map(Number) as number[];
  const at = Date.UTC(y!, mo! - 1, day!, h!, mi!, s!);
  const back = new Date(at);
  return back.getUTCMonth() === mo! - 1 && back.getUTCDate() === day! && h! < 24 && mi! < 60 && s! < 60
    ? at
    : undefined;
}

const field = (text: string, name: string) => new RegExp(`(?:^|\\s)${name}:\\s*(\\S*)`, 'i').exec(text)?.[1];

/**
 * The delivery report in a receipt deliver_sm, or null when it is not final. The TLVs
 * (receipted_message_id, message_state) win over the text form, which is read tolerantly: fields in
 * any order or missing, `Text:` in any case, 10/12/14-digit dates. When the TLV and the text name the
 * id differently, both are offered for matching, then (with `auto`) each in the other radix.
 */
export function parseReceipt(
  sm: ShortMessage,
  idFormat: ReceiptIdFormat = 'auto',
  /** Whether a failed receipt's `err:` value means the subscriber blocks the sender. */
  optedOut: (err: string | undefined) => boolean = () => false,
): DeliveryReport | null {
  const text = new TextDecoder('latin1').decode(sm.short_message);
  const given = [tlvText(sm.tlvs, TLV.receipted_message_id), field(text, 'id')];
  // Every id as given first, then their other spellings.
  const spellings = given.map((id) => (id ? submitIdsOf(id, idFormat) : []));
  const ids = [...spellings.map((s) => s.slice(0, 1)), ...spellings.map((s) => s.slice(1))].flat();
  const state = tlvNumber(sm.tlvs, TLV.message_state);
  const stat = (
    (state !== undefined ? STATE_WORD[state] : undefined) ??
    field(text, 'stat') ??
    ''
  ).toUpperCase();
  const status = STAT[stat];
  const [id, ...others] = [...new Set(ids)];
  if (id === undefined || !status) return null;
  const report: DeliveryReport = { carrierMessageId: id, status };
  if (others.length) report.alsoKnownAs = others;
  // A date to the minute (10 digits, the most common) would put delivery up to a minute before the
  // submit: only one with seconds is finer than the time the receipt arrives.
  const done = field(text, 'done date');
  const at = done && done.length > 10 ? receiptDate(done) : undefined;
  if (at !== undefined) report.at = at;
  if (status === 'failed') {
    const err = field(text, 'err');
    const network = sm.tlvs.get(TLV.network_error_code);
    const networkHex = network ? [...network].map((b) => b.toString(16).padStart(2, '0')).join('') : '';
    report.errorCode = stat;
    if (optedOut(err)) report.optedOut = true;
    report.errorMessage = `The SMSC reported ${stat}${err && !/^0+$/.test(err) ? ` (err ${err})` : ''}${networkHex ? ` (network error ${networkHex})` : ''}`;
  }
  return report;
}

import type { ConnectionOptions } from 'node:tls';
import {
  type CarrierAdapter,
  type CarrierContext,
  CarrierError,
  type InboundMessage,
  type NationalLanguage,
} from '@mifumo/core';
import { ESM_DELIVERY_RECEIPT, type ShortMessage, TLV, tlvNumber } from './pdu';
import { createReassembly } from './reassembly';
import { canonicalId, parseReceipt, type ReceiptIdFormat } from './receipt';
import { type BindMode, SmppSession } from './session';
import { relativeValidity } from './validity';
import {
  decodeText,
  type Gsm7Wire,
  type LongMessageMode,
  readHeader,
  type WirePart,
  wireParts,
} from './wire-text';

export interface SmppOptions {
  id: string;
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** TLS to the SMSC (`true` for the system's CAs, or node:tls options such as `ca`); plain TCP without. */
  tls?: boolean | ConnectionOptions;
  /** Binds to keep open, each a transceiver, or a transmitter and a receiver (`transmitter+receiver`). */
  binds?: number;
  bindMode?: 'transceiver' | 'transmitter+receiver';
  /** submit_sm outstanding per bind. */
  window?: number;
  /**
   * submit_sm per second the SMSC takes from all binds of every process on the database together: the
   * dispatcher paces submits to it (a long message's parts count one each); each bind spaces its own too.
   */
  submitsPerSecond?: number;
  responseTimeoutMs?: number;
  enquireLinkMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  throttleBackoffMs?: number;
  /** data_coding for GSM-7 text (0, or e.g. 3 for a Latin-1 carrier) and how it is put on the wire. */
  gsm7DataCoding?: number;
  gsm7Wire?: Gsm7Wire;
  longMessages?: LongMessageMode;
  /** How receipts spell ids, relative to submit_sm_resp. */
  receiptIds?: ReceiptIdFormat;
  /** National shift tables the SMSC passes on (UDH only). */
  nationalLanguages?: readonly NationalLanguage[];
  /**
   * The codes by which this SMSC says the subscriber blocks the sender (SMPP has no standard one):
   * a submit_sm_resp command_status in hex (`0x00000401`), or a delivery receipt's `err:` value in
   * decimal (`err:406`). Such a refusal opts the number out of the account's messages. Default: none.
   */
  optOutErrorCodes?: readonly string[];
  onError?: (message: string, error?: unknown) => void;
}

/** Which command_status (hex) and receipt `err:` values (decimal) of `codes` mean the subscriber opted out. */
export function optOutMatcher(codes: readonly string[]) {
  const statuses = new Set<number>();
  const errs = new Set<number>();
  for (const code of codes) {
    const hex = /^0x([0-9a-f]{1,8})$/i.exec(code.trim());
    const err = /^err:(\d{1,10})$/i.exec(code.trim());
    if (hex) statuses.add(Number.parseInt(hex[1]!, 16));
    else if (err) errs.add(Number(err[1]));
    else
      throw new Error(`optOutErrorCodes: ${JSON.stringify(code)} is neither 0x<hex status> nor err:<digits>`);
  }
  return {
    /** A refused submit's `carrierCode` (`0x…`). */
    status: (carrierCode: string | undefined) =>
      carrierCode !== undefined &&
      /^0x[0-9a-f]+$/i.test(carrierCode) &&
      statuses.has(Number.parseInt(carrierCode.slice(2), 16)),
    /** A failed receipt's `err:` field. */
    receipt: (err: string | undefined) => err !== undefined && /^\d+$/.test(err) && errs.has(Number(err)),
  };
}

/** Submitted without a sender's number: an alphanumeric sender ID (TON 5), an international number (TON 1) or a short code (TON 3). */
function sourceAddress(from: string) {
  const digits = from.replace(/^\+/, '');
  if (!/^\d+$/.test(digits)) return { ton: 5, npi: 0, addr: from };
  return digits.length > 8 ? { ton: 1, npi: 1, addr: digits } : { ton: 3, npi: 0, addr: digits };
}

/** One part's submit_sm body. */
function shortMessage(
  p: WirePart,
  source: ReturnType<typeof sourceAddress>,
  destination: string,
  validity: string,
): ShortMessage {
  return {
    service_type: '',
    source_addr_ton: source.ton,
    source_addr_npi: source.npi,
    source_addr: source.addr,
    dest_addr_ton: 1,
    dest_addr_npi: 1,
    destination_addr: destination,
    esm_class: p.esm_class,
    protocol_id: 0,
    priority_flag: 0,
    schedule_delivery_time: '',
    validity_period: validity,
    registered_delivery: 1,
    replace_if_present_flag: 0,
    data_coding: p.data_coding,
    sm_default_msg_id: 0,
    short_message: p.short_message,
    tlvs: p.tlvs,
  };
}

/** MO parts are kept this long waiting for the rest. */
const REASSEMBLY_MS = 10 * 60_000;

/**
 * An SMPP 3.4 carrier (Node only): binds kept open to an SMSC, long messages by UDH, SAR or
 * message_payload, receipts from deliver_sm matched per part, and incoming messages reassembled and
 * stored. See SmppSession for the connection handling.
 */
export function createSmppCarrier(
  options: SmppOptions,
): CarrierAdapter & { readonly sessions: readonly SmppSession[] } {
  const wire = {
    gsm7DataCoding: options.gsm7DataCoding ?? 0,
    gsm7Wire: options.gsm7Wire ?? 'unpacked',
    longMessages: options.longMessages ?? 'udh',
  } as const;
  const onError =
    options.onError ?? ((m: string, e?: unknown) => console.error(`[smpp ${options.id}] ${m}`, e ?? ''));
  const sessions: SmppSession[] = [];
  /** The sessions that submit: all but receivers. */
  const transmitters: SmppSession[] = [];
  const optOut = optOutMatcher(options.optOutErrorCodes ?? []);
  const reassembly = createReassembly(REASSEMBLY_MS);
  let reference = Math.floor(Math.random() * 0xffff);
  let started = false;

  async function onDeliver(ctx: CarrierContext, sm: ShortMessage) {
    if ((sm.esm_class & 0x3c) === ESM_DELIVERY_RECEIPT) {
      const report = parseReceipt(sm, options.receiptIds ?? 'auto', optOut.receipt);
      if (report) await ctx.report(report);
      return;
    }
    const header = sm.esm_class & 0x40 ? readHeader(sm.short_message) : { octets: 0, nationalLanguage: null };
    const payload = sm.tlvs.get(TLV.message_payload);
    const text = decodeText(payload ?? sm.short_message, sm.data_coding, {
      gsm7Wire: wire.gsm7Wire,
      headerOctets: payload ? 0 : header.octets,
      language: header.nationalLanguage,
    });
    const from =
      sm.source_addr_ton === 1 && /^\d+$/.test(sm.source_addr) ? `+${sm.source_addr}` : sm.source_addr;
    const sar = tlvNumber(sm.tlvs, TLV.sar_total_segments);
    const part =
      'concatenation' in header && header.concatenation
        ? header.concatenation
        : sar && sar > 1
          ? {
              reference: tlvNumber(sm.tlvs, TLV.sar_msg_ref_num) ?? 0,
              total: sar,
              sequence: tlvNumber(sm.tlvs, TLV.sar_segment_seqnum) ?? 0,
            }
          : null;
    const whole = part
      ? reassembly.add(
          { from, to: sm.destination_addr, reference: part.reference, total: part.total },
          part.sequence,
          text,
        )
      : text;
    if (whole === null) return;
    const message: InboundMessage = { from, to: sm.destination_addr, text: whole };
    await ctx.inbound(message);
  }

  /** The least busy bound session: every part of a message goes over the same one, in order. */
  function leastBusy() {
    if (transmitters.length === 0)
      throw new CarrierError('the SMPP carrier is not started', {
        retryable: true,
        carrierCode: 'NOT_STARTED',
      });
    let session = transmitters[0]!;
    for (const s of transmitters)
      if ((s.bound && !session.bound) || (s.bound === session.bound && s.load < session.load)) session = s;
    return session;
  }

  /** What a submit resolves with: each part's message_id, as the adapter stores ids. */
  const submittedOne = (id: string) => ({ carrierMessageIds: [canonicalId(id)] });
  const submitted = (ids: string[]) => ({ carrierMessageIds: ids.map(canonicalId) });
  /** A refusal with one of the configured opt-out codes is final, and says the subscriber opted out. */
  const refused = (e: unknown): never => {
    if (e instanceof CarrierError && optOut.status(e.carrierCode))
      throw new CarrierError(e.message, {
        retryable: false,
        carrierCode: e.carrierCode,
        optedOut: true,
        cause: e,
      });
    throw e;
  };

  return {
    id: options.id,
    type: 'smpp',
    sessions,
    capabilities: {
      ucs2: true,
      longMessages: wire.longMessages,
      reports: 'push',
      window: options.window ?? 10,
      submitsPerSecond: options.submitsPerSecond,
      runtime: 'node',
      nationalLanguages:
        wire.longMessages === 'udh' && wire.gsm7Wire !== 'latin1' ? (options.nationalLanguages ?? []) : [],
    },

    start(ctx) {
      if (started) return;
      started = true;
      const tls = options.tls === true ? {} : options.tls === false ? undefined : options.tls;
      const modes: BindMode[] =
        options.bindMode === 'transmitter+receiver' ? ['transmitter', 'receiver'] : ['transceiver'];
      for (let i = 0; i < (options.binds ?? 1); i++)
        for (const mode of modes) {
          const session = new SmppSession({
            host: options.host,
            port: options.port,
            tls,
            mode,
            systemId: options.systemId,
            password: options.password,
            systemType: options.systemType ?? '',
            window: options.window ?? 10,
            submitsPerSecond: options.submitsPerSecond,
            responseTimeoutMs: options.responseTimeoutMs ?? 10_000,
            enquireLinkMs: options.enquireLinkMs ?? 30_000,
            reconnectMs: { min: options.reconnectMinMs ?? 500, max: options.reconnectMaxMs ?? 30_000 },
            throttleBackoffMs: options.throttleBackoffMs ?? 500,
            onDeliver: (sm) => onDeliver(ctx, sm),
            onError,
          });
          sessions.push(session);
          if (mode !== 'receiver') transmitters.push(session);
          session.start();
        }
    },

    // Not an async function: its frame and extra promise were a measurable share of a submit's cost.
    submit(message, signal) {
      try {
        const session = leastBusy();
        reference = (reference + 1) & 0xffff;
        const destination = message.to.startsWith('+') ? message.to.slice(1) : message.to;
        const source = sourceAddress(message.from);
        const parts = wireParts(message, wire, reference);
        const validity = relativeValidity(message.validUntil, Date.now());
        const submit = (p: WirePart) =>
          session.submit(shortMessage(p, source, destination, validity), signal);
        return parts.length === 1
          ? submit(parts[0]!).then(submittedOne, refused)
          : Promise.all(parts.map(submit)).then(submitted, refused);
      } catch (e) {
        return Promise.reject(e);
      }
    },

    status() {
      const states = transmitters.map((s) => s.status);
      const lastError = states
        .map((s) => s.lastError)
        .reduce<{ message: string; at: number } | null>((a, b) => (b && (!a || b.at > a.at) ? b : a), null);
      const state = states.some((s) => s.state === 'bound')
        ? 'bound'
        : states.length > 0 && states.every((s) => s.state === 'down')
          ? 'down'
          : 'connecting';
      return { state, lastError: lastError ?? undefined };
    },

    async stop() {
      started = false;
      transmitters.length = 0;
      await Promise.all(sessions.splice(0).map((s) => s.stop()));
    },
  };
}

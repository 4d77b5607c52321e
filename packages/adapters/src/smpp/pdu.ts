/**
 * SMPP 3.4 PDUs: the few this gateway speaks (binds, submit_sm, deliver_sm, enquire_link, unbind,
 * generic_nack), encoded and decoded in full, TLVs included. Pure: bytes in, objects out.
 */

export const COMMAND = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
} as const;

export type CommandName = keyof typeof COMMAND;
const NAMES = new Map<number, CommandName>(
  Object.entries(COMMAND).map(([name, id]) => [id, name as CommandName]),
);

export const STATUS = {
  ESME_ROK: 0x00,
  ESME_RINVMSGLEN: 0x01,
  ESME_RINVCMDLEN: 0x02,
  ESME_RINVCMDID: 0x03,
  ESME_RINVBNDSTS: 0x04,
  ESME_RALYBND: 0x05,
  ESME_RSYSERR: 0x08,
  ESME_RINVSRCADR: 0x0a,
  ESME_RINVDSTADR: 0x0b,
  ESME_RBINDFAIL: 0x0d,
  ESME_RINVPASWD: 0x0e,
  ESME_RINVSYSID: 0x0f,
  ESME_RMSGQFUL: 0x14,
  ESME_RINVESMCLASS: 0x43,
  ESME_RSUBMITFAIL: 0x45,
  ESME_RINVSRCTON: 0x48,
  ESME_RINVDSTTON: 0x50,
  ESME_RTHROTTLED: 0x58,
  ESME_RX_T_APPN: 0x64,
  ESME_RX_P_APPN: 0x65,
  ESME_RINVOPTPARAMVAL: 0xc4,
  ESME_RDELIVERYFAILURE: 0xfe,
  ESME_RUNKNOWNERR: 0xff,
} as const;
const STATUS_NAMES = new Map(Object.entries(STATUS).map(([name, code]) => [code as number, name]));

/** `ESME_RTHROTTLED (0x00000058)`, or the bare hex for a code without a name. */
export function statusName(status: number): string {
  const hex = `0x${status.toString(16).padStart(8, '0')}`;
  const name = STATUS_NAMES.get(status);
  return name ? `${name} (${hex})` : hex;
}

export const TLV = {
  receipted_message_id: 0x001e,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  message_state: 0x0427,
} as const;

/** message_state values (SMPP 3.4 §5.2.28). */
export const MESSAGE_STATE = {
  ENROUTE: 1,
  DELIVERED: 2,
  EXPIRED: 3,
  DELETED: 4,
  UNDELIVERABLE: 5,
  ACCEPTED: 6,
  UNKNOWN: 7,
  REJECTED: 8,
} as const;

/** esm_class bits: a user data header in short_message, and the delivery-receipt message type. */
export const ESM_UDHI = 0x40;
export const ESM_DELIVERY_RECEIPT = 0x04;

export interface Bind {
  system_id: string;
  password: string;
  system_type: string;
  interface_version: number;
  addr_ton: number;
  addr_npi: number;
  address_range: string;
}

/** submit_sm and deliver_sm share one layout. */
export interface ShortMessage {
  service_type: string;
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  protocol_id: number;
  priority_flag: number;
  schedule_delivery_time: string;
  validity_period: string;
  registered_delivery: number;
  replace_if_present_flag: number;
  data_coding: number;
  sm_default_msg_id: number;
  short_message: Uint8Array;
  tlvs: ReadonlyMap<number, Uint8Array>;
}

/** A short message with every field at its zero value: a base for building one. */
export const blankShortMessage = (): ShortMessage => ({
  service_type: '',
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '',
  esm_class: 0,
  protocol_id: 0,
  priority_flag: 0,
  schedule_delivery_time: '',
  validity_period: '',
  registered_delivery: 0,
  replace_if_present_flag: 0,
  data_coding: 0,
  sm_default_msg_id: 0,
  short_message: new Uint8Array(0),
  tlvs: new Map(),
});

export type Body =
  | { command: 'bind_receiver' | 'bind_transmitter' | 'bind_transceiver'; bind: Bind }
  | {
      command: 'bind_receiver_resp' | 'bind_transmitter_resp' | 'bind_transceiver_resp';
      system_id: string;
    }
  | { command: 'submit_sm' | 'deliver_sm'; sm: ShortMessage }
  | { command: 'submit_sm_resp' | 'deliver_sm_resp'; message_id: string }
  | {
      command: 'enquire_link' | 'enquire_link_resp' | 'unbind' | 'unbind_resp' | 'generic_nack';
    };

export type Pdu = Body & { status: number; sequence: number };

/** A PDU the codec cannot read: `status` is what to answer it with (in a generic_nack or its response). */
export class PduError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly sequence: number,
  ) {
    super(message);
    this.name = 'PduError';
  }
}

/** Largest PDU accepted: a submit with a full message_payload fits; anything bigger is garbage. */
export const MAX_PDU = 70_000;

const latin1 = new TextDecoder('latin1');

/** A new slab's size: room for a window's worth of submits many times over. */
const SLAB = 64 * 1024;

/**
 * Writes PDUs one after another, big-endian, into a slab that is only ever written forward: bytes
 * handed out by `take` are never written again (a full slab is left to the arrays taken from it and a
 * new one begun), so they can go to a socket whose write completes later.
 */
class Writer {
  private bytes = new Uint8Array(SLAB);
  /** The bytes not taken yet: from `start` to `length`; the PDU being written began at `pduStart`. */
  private start = 0;
  private length = 0;
  private pduStart = 0;
  private room(n: number) {
    if (this.length + n <= this.bytes.length) return;
    const slab = new Uint8Array(Math.max(SLAB, (this.length - this.start + n) * 2));
    slab.set(this.bytes.subarray(this.start, this.length));
    this.length -= this.start;
    this.pduStart -= this.start;
    this.start = 0;
    this.bytes = slab;
  }
  u8(v: number) {
    this.room(1);
    this.bytes[this.length++] = v & 0xff;
  }
  u16(v: number) {
    this.room(2);
    this.bytes[this.length++] = (v >> 8) & 0xff;
    this.bytes[this.length++] = v & 0xff;
  }
  u32(v: number) {
    this.room(4);
    this.bytes[this.length++] = (v >>> 24) & 0xff;
    this.bytes[this.length++] = (v >>> 16) & 0xff;
    this.bytes[this.length++] = (v >>> 8) & 0xff;
    this.bytes[this.length++] = v & 0xff;
  }
  /** A C-Octet String: ASCII then a NUL, at most `max` octets with the NUL. */
  cstring(text: string, max: number, field: string) {
    if (text.length + 1 > max) throw new RangeError(`${field} is longer than ${max - 1} characters`);
    this.room(text.length + 1);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0 || c > 0x7f) throw new RangeError(`${field} must be printable ASCII`);
      this.bytes[this.length++] = c;
    }
    this.bytes[this.length++] = 0;
  }
  raw(data: Uint8Array) {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }
  /** One whole PDU after those written before; if it cannot be encoded, they are left as they were. */
  pdu(pdu: Pdu) {
    this.pduStart = this.length;
    try {
      writePdu(this, pdu);
    } catch (e) {
      this.length = this.pduStart;
      throw e;
    }
    const n = this.length - this.pduStart;
    const at = this.pduStart;
    this.bytes[at] = n >>> 24;
    this.bytes[at + 1] = (n >>> 16) & 0xff;
    this.bytes[at + 2] = (n >>> 8) & 0xff;
    this.bytes[at + 3] = n & 0xff;
  }
  /** The PDUs written since the last take, as one array; null when there are none. */
  take(): Uint8Array | null {
    if (this.length === this.start) return null;
    const out = this.bytes.subarray(this.start, this.length);
    this.start = this.length;
    return out;
  }
}

/**
 * A C-Octet String's octets as char codes, made a string in one call (rather than a string per
 * octet); one array for every read, decoding being synchronous.
 */
const codes: number[] = [];

/** Reads fields in place from `offset` to the end of `data`. */
class Reader {
  constructor(
    private readonly data: Uint8Array,
    private readonly sequence: number,
    private offset: number,
  ) {}
  private need(n: number, field: string) {
    if (this.offset + n > this.data.length)
      throw new PduError(`${field} runs past the end of the PDU`, STATUS.ESME_RINVCMDLEN, this.sequence);
  }
  u8(field: string) {
    this.need(1, field);
    return this.data[this.offset++]!;
  }
  u16(field: string) {
    this.need(2, field);
    const v = (this.data[this.offset]! << 8) | this.data[this.offset + 1]!;
    this.offset += 2;
    return v;
  }
  cstring(field: string, max: number) {
    const end = this.data.indexOf(0, this.offset);
    if (end < 0 || end - this.offset + 1 > max)
      throw new PduError(
        `${field} is not a C-Octet String of at most ${max} octets`,
        STATUS.ESME_RINVMSGLEN,
        this.sequence,
      );
    codes.length = end - this.offset;
    for (let i = 0; i < codes.length; i++) codes[i] = this.data[this.offset + i]!;
    this.offset = end + 1;
    return String.fromCharCode(...codes);
  }
  bytes(n: number, field: string) {
    this.need(n, field);
    const out = this.data.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  get left() {
    return this.data.length - this.offset;
  }
}

function writeShortMessage(w: Writer, sm: ShortMessage) {
  w.cstring(sm.service_type, 6, 'service_type');
  w.u8(sm.source_addr_ton);
  w.u8(sm.source_addr_npi);
  w.cstring(sm.source_addr, 21, 'source_addr');
  w.u8(sm.dest_addr_ton);
  w.u8(sm.dest_addr_npi);
  w.cstring(sm.destination_addr, 21, 'destination_addr');
  w.u8(sm.esm_class);
  w.u8(sm.protocol_id);
  w.u8(sm.priority_flag);
  w.cstring(sm.schedule_delivery_time, 17, 'schedule_delivery_time');
  w.cstring(sm.validity_period, 17, 'validity_period');
  w.u8(sm.registered_delivery);
  w.u8(sm.replace_if_present_flag);
  w.u8(sm.data_coding);
  w.u8(sm.sm_default_msg_id);
  if (sm.short_message.length > 254) throw new RangeError('short_message is longer than 254 octets');
  w.u8(sm.short_message.length);
  w.raw(sm.short_message);
  for (const [tag, value] of sm.tlvs) {
    if (value.length > 0xffff) throw new RangeError(`TLV 0x${tag.toString(16)} is longer than 65535 octets`);
    w.u16(tag);
    w.u16(value.length);
    w.raw(value);
  }
}

function readShortMessage(r: Reader): ShortMessage {
  const sm = {
    service_type: r.cstring('service_type', 6),
    source_addr_ton: r.u8('source_addr_ton'),
    source_addr_npi: r.u8('source_addr_npi'),
    source_addr: r.cstring('source_addr', 21),
    dest_addr_ton: r.u8('dest_addr_ton'),
    dest_addr_npi: r.u8('dest_addr_npi'),
    destination_addr: r.cstring('destination_addr', 21),
    esm_class: r.u8('esm_class'),
    protocol_id: r.u8('protocol_id'),
    priority_flag: r.u8('priority_flag'),
    schedule_delivery_time: r.cstring('schedule_delivery_time', 17),
    validity_period: r.cstring('validity_period', 17),
    registered_delivery: r.u8('registered_delivery'),
    replace_if_present_flag: r.u8('replace_if_present_flag'),
    data_coding: r.u8('data_coding'),
    sm_default_msg_id: r.u8('sm_default_msg_id'),
    short_message: new Uint8Array(0),
    tlvs: new Map<number, Uint8Array>(),
  };
  sm.short_message = r.bytes(r.u8('sm_length'), 'short_message');
  while (r.left > 0) {
    const tag = r.u16('TLV tag');
    sm.tlvs.set(tag, r.bytes(r.u16('TLV length'), `TLV 0x${tag.toString(16)}`));
  }
  return sm;
}

/** The PDU's fields after the length, which `Writer.pdu` fills in. */
function writePdu(w: Writer, pdu: Pdu) {
  w.u32(0); // length, filled in by the writer
  w.u32(COMMAND[pdu.command]);
  w.u32(pdu.status);
  w.u32(pdu.sequence);
  switch (pdu.command) {
    case 'bind_receiver':
    case 'bind_transmitter':
    case 'bind_transceiver': {
      const b = pdu.bind;
      w.cstring(b.system_id, 16, 'system_id');
      w.cstring(b.password, 9, 'password');
      w.cstring(b.system_type, 13, 'system_type');
      w.u8(b.interface_version);
      w.u8(b.addr_ton);
      w.u8(b.addr_npi);
      w.cstring(b.address_range, 41, 'address_range');
      break;
    }
    case 'bind_receiver_resp':
    case 'bind_transmitter_resp':
    case 'bind_transceiver_resp':
      w.cstring(pdu.system_id, 16, 'system_id');
      break;
    case 'submit_sm':
    case 'deliver_sm':
      writeShortMessage(w, pdu.sm);
      break;
    case 'submit_sm_resp':
    case 'deliver_sm_resp':
      // An error response carries no body (SMPP 3.4 §4.4.2).
      if (pdu.status === 0 || pdu.command === 'deliver_sm_resp') w.cstring(pdu.message_id, 65, 'message_id');
      break;
  }
}

/** Encoding is synchronous: one writer serves every `encodePdu`. */
const single = new Writer();

/** The PDU as bytes, header included, in an array of its own. */
export function encodePdu(pdu: Pdu): Uint8Array {
  single.pdu(pdu);
  return single.take()!.slice();
}

/**
 * PDUs encoded one after another to go in one write: `add` each, then `take` them all as one array
 * (never written again, so it may sit in a socket's queue).
 */
export class PduBatch {
  private readonly writer = new Writer();

  /** Throws (RangeError) for a PDU that cannot be encoded, leaving the batch as it was. */
  add(pdu: Pdu) {
    this.writer.pdu(pdu);
  }

  /** The PDUs added since the last take; null when there are none. */
  take(): Uint8Array | null {
    return this.writer.take();
  }
}

/** Reads one whole PDU (as framed by `PduFramer`). Throws PduError for one it cannot read. */
export function decodePdu(bytes: Uint8Array): Pdu {
  if (bytes.length < 16) throw new RangeError('a PDU has a header of 16 octets');
  const id = u32At(bytes, 4);
  const status = u32At(bytes, 8);
  const sequence = u32At(bytes, 12);
  const command = NAMES.get(id);
  if (!command)
    throw new PduError(`unknown command_id 0x${id.toString(16)}`, STATUS.ESME_RINVCMDID, sequence);
  const r = new Reader(bytes, sequence, 16);
  switch (command) {
    case 'bind_receiver':
    case 'bind_transmitter':
    case 'bind_transceiver':
      return {
        command,
        status,
        sequence,
        bind: {
          system_id: r.cstring('system_id', 16),
          password: r.cstring('password', 9),
          system_type: r.cstring('system_type', 13),
          interface_version: r.u8('interface_version'),
          addr_ton: r.u8('addr_ton'),
          addr_npi: r.u8('addr_npi'),
          address_range: r.cstring('address_range', 41),
        },
      };
    case 'bind_receiver_resp':
    case 'bind_transmitter_resp':
    case 'bind_transceiver_resp':
      // A refused bind may come without a body; a granted one may carry TLVs after it (ignored).
      return { command, status, sequence, system_id: r.left > 0 ? r.cstring('system_id', 16) : '' };
    case 'submit_sm':
    case 'deliver_sm':
      return { command, status, sequence, sm: readShortMessage(r) };
    case 'submit_sm_resp':
    case 'deliver_sm_resp':
      return { command, status, sequence, message_id: r.left > 0 ? r.cstring('message_id', 65) : '' };
    default:
      return { command, status, sequence };
  }
}

/** The big-endian unsigned 32-bit number at `offset`. */
const u32At = (bytes: Uint8Array, offset: number) =>
  ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>>
  0;

const NOTHING = new Uint8Array(0);

/** Splits a byte stream into PDUs by their command_length; refuses a length no PDU can have. */
export class PduFramer {
  /** The start of a PDU whose rest has not come yet. */
  private buffer = NOTHING;

  /**
   * Adds bytes from the wire; returns the whole PDUs now complete, as views on the bytes given (read
   * them before the next push).
   */
  push(chunk: Uint8Array): Uint8Array[] {
    let data = chunk;
    if (this.buffer.length > 0) {
      data = new Uint8Array(this.buffer.length + chunk.length);
      data.set(this.buffer);
      data.set(chunk, this.buffer.length);
    }
    const out: Uint8Array[] = [];
    let offset = 0;
    while (data.length - offset >= 16) {
      const length = u32At(data, offset);
      if (length < 16 || length > MAX_PDU)
        throw new PduError(`command_length ${length} is out of range`, STATUS.ESME_RINVCMDLEN, 0);
      if (data.length - offset < length) break;
      out.push(data.subarray(offset, offset + length));
      offset += length;
    }
    this.buffer = offset === data.length ? NOTHING : data.slice(offset);
    return out;
  }
}

/** A TLV's value as a big-endian unsigned number, or undefined when absent. */
export function tlvNumber(tlvs: ReadonlyMap<number, Uint8Array>, tag: number): number | undefined {
  const v = tlvs.get(tag);
  if (!v || v.length === 0 || v.length > 4) return undefined;
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

/** A C-Octet String TLV's text (its NUL dropped), or undefined when absent. */
export function tlvText(tlvs: ReadonlyMap<number, Uint8Array>, tag: number): string | undefined {
  const v = tlvs.get(tag);
  if (!v) return undefined;
  const end = v.indexOf(0);
  return latin1.decode(end < 0 ? v : v.subarray(0, end));
}

/** A TLV value of `bytes` octets holding `n`. */
export function tlvOf(n: number, bytes: 1 | 2 | 4): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/** A C-Octet String TLV value. */
export const tlvString = (text: string): Uint8Array =>
  Uint8Array.from([...text].map((c) => c.charCodeAt(0) & 0xff).concat(0));

import type { AddressInfo } from 'node:net';
import { createServer as netServer, type Server, type Socket } from 'node:net';
import { createServer as tlsServer } from 'node:tls';
import { encodeGsm7, encodeUcs2 } from '@mifumo/core/encoding';
import {
  blankShortMessage,
  decodePdu,
  ESM_DELIVERY_RECEIPT,
  ESM_UDHI,
  encodePdu,
  MESSAGE_STATE,
  type Pdu,
  PduFramer,
  type ShortMessage,
  STATUS,
  TLV,
  tlvOf,
  tlvString,
} from './pdu';

/** A receipt's `stat:` word, as the simulator reports it. */
export type ReceiptStat = 'DELIVRD' | 'UNDELIV' | 'EXPIRED' | 'REJECTD' | 'DELETED' | 'UNKNOWN';

/** What the next submits get instead of an ordinary acceptance. */
export type SmscFault =
  | { kind: 'throttle' }
  | { kind: 'queue-full' }
  | { kind: 'error'; status: number }
  | { kind: 'delay'; ms: number }
  /** The connection is cut before the answer. */
  | { kind: 'drop' }
  /** Taken, then the connection is cut with its answer unsent: the ESME will send it again. */
  | { kind: 'accept-then-drop' }
  /** Never answered. */
  | { kind: 'hold' };

export interface SmscOptions {
  port?: number;
  host?: string;
  /** Binds must give these; any credentials are taken without. */
  systemId?: string | undefined;
  password?: string | undefined;
  /** Send delivery receipts for submits that ask (true); false for a bare acknowledging SMSC. */
  receipts?: boolean;
  /** Time from accepting a submit to sending its receipt. */
  receiptDelayMs?: number;
  /** Each destination's final state; DELIVRD without. */
  outcome?: (destination: string) => ReceiptStat;
  /** Submit ids in upper-case zero-padded hex (`hex`, the default) or decimal. */
  idFormat?: 'hex' | 'decimal';
  /** Receipts name the id as the submit response did (`same`) or in the other radix (`other`). */
  receiptIds?: 'same' | 'other';
  /** Receipts carry receipted_message_id and message_state TLVs besides the text (default true). */
  receiptTlvs?: boolean;
  /** The simulator's own enquire_link to each bound ESME this often; never without. */
  enquireLinkMs?: number;
  /** Asked for each submit when no injected fault is queued: random faults for a long-running simulator. */
  chaos?: () => SmscFault | null;
  /** Serve SMPP over TLS with this key and certificate (PEM). */
  tls?: { key: string; cert: string } | undefined;
  log?: (line: string) => void;
}

export interface ReceivedSubmit {
  systemId: string;
  messageId: string;
  sm: ShortMessage;
  at: number;
}

interface Connection {
  socket: Socket;
  systemId: string;
  mode: 'transceiver' | 'transmitter' | 'receiver' | null;
  sequence: number;
  /** deliver_sm sent and not yet answered, by sequence: sent again elsewhere if the connection drops. */
  unanswered: Map<number, ShortMessage>;
  enquire: ReturnType<typeof setInterval> | null;
}

const STATE_OF: Record<ReceiptStat, number> = {
  DELIVRD: MESSAGE_STATE.DELIVERED,
  UNDELIV: MESSAGE_STATE.UNDELIVERABLE,
  EXPIRED: MESSAGE_STATE.EXPIRED,
  REJECTD: MESSAGE_STATE.REJECTED,
  DELETED: MESSAGE_STATE.DELETED,
  UNKNOWN: MESSAGE_STATE.UNKNOWN,
};

const pad = (n: number) => String(n).padStart(2, '0');
const smppDate = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
};

/**
 * An SMSC for development and tests (`npm run mifumo -- smsc-sim`): it binds ESMEs, acknowledges
 * submits with its own ids, sends delivery receipts (again on another bind if one is lost), answers
 * and sends enquire_link, and can inject throttling, errors, delays and dropped connections.
 */
export async function startSmsc(options: SmscOptions = {}) {
  const log = options.log ?? (() => {});
  const connections = new Set<Connection>();
  const faults: SmscFault[] = [];
  const submits: ReceivedSubmit[] = [];
  /** submit_sm received in each second (epoch seconds), answered or refused: what a rate limit counts. */
  const perSecond = new Map<number, number>();
  /** Receipts and MOs waiting for a bound receiver of their system_id. */
  const pending = new Map<string, ShortMessage[]>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const counters = {
    enquireLinks: 0,
    receiptsAcknowledged: 0,
    binds: 0,
    unbinds: 0,
    outstanding: 0,
    maxOutstanding: 0,
  };
  let nextId = 0x5f5e100;

  const idText = (n: number, format: 'hex' | 'decimal') =>
    format === 'hex' ? n.toString(16).toUpperCase().padStart(10, '0') : String(n);

  function write(c: Connection, pdu: Pdu) {
    if (!c.socket.destroyed) c.socket.write(encodePdu(pdu));
  }

  function receivers(systemId: string) {
    return [...connections].filter(
      (c) => c.systemId === systemId && (c.mode === 'transceiver' || c.mode === 'receiver'),
    );
  }

  /** Sends a deliver_sm to a bound receiver of `systemId`, or keeps it until one binds. */
  function deliver(systemId: string, sm: ShortMessage) {
    const c = receivers(systemId)[0];
    if (!c) {
      pending.set(systemId, [...(pending.get(systemId) ?? []), sm]);
      return;
    }
    c.sequence++;
    c.unanswered.set(c.sequence, sm);
    write(c, { command: 'deliver_sm', sm, status: 0, sequence: c.sequence });
  }

  function flush(systemId: string) {
    const queued = pending.get(systemId) ?? [];
    pending.delete(systemId);
    for (const sm of queued) deliver(systemId, sm);
  }

  function receipt(systemId: string, submit: ReceivedSubmit) {
    const stat = options.outcome?.(submit.sm.destination_addr) ?? 'DELIVRD';
    const id = submit.messageId;
    const decimal = options.idFormat === 'decimal';
    const inReceipt =
      options.receiptIds !== 'other'
        ? id
        : decimal
          ? BigInt(id).toString(16)
          : BigInt(`0x${id}`).toString(10);
    const now = Date.now();
    const text = `id:${inReceipt} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${smppDate(submit.at)} done date:${smppDate(now)} stat:${stat} err:${stat === 'DELIVRD' ? '000' : '001'} Text:receipt`;
    const sm: ShortMessage = {
      ...blankShortMessage(),
      source_addr: submit.sm.destination_addr,
      destination_addr: submit.sm.source_addr,
      esm_class: ESM_DELIVERY_RECEIPT,
      short_message: new TextEncoder().encode(text),
      tlvs:
        options.receiptTlvs === false
          ? new Map()
          : new Map([
              [TLV.receipted_message_id, tlvString(inReceipt)],
              [TLV.message_state, tlvOf(STATE_OF[stat], 1)],
            ]),
    };
    deliver(systemId, sm);
  }

  function later(ms: number, run: () => void) {
    const t = setTimeout(() => {
      timers.delete(t);
      run();
    }, ms);
    timers.add(t);
  }

  function onSubmit(c: Connection, pdu: { sm: ShortMessage; sequence: number }) {
    const second = Math.floor(Date.now() / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    counters.outstanding++;
    counters.maxOutstanding = Math.max(counters.maxOutstanding, counters.outstanding);
    const answer = (status: number, messageId = '') => {
      counters.outstanding--;
      write(c, { command: 'submit_sm_resp', message_id: messageId, status, sequence: pdu.sequence });
    };
    if (c.mode === 'receiver' || c.mode === null) return answer(STATUS.ESME_RINVBNDSTS);
    if (!pdu.sm.destination_addr) return answer(STATUS.ESME_RINVDSTADR);
    const fault = faults.shift() ?? options.chaos?.() ?? undefined;
    if (fault?.kind === 'hold' || fault?.kind === 'drop') {
      counters.outstanding--;
      if (fault.kind === 'drop') c.socket.destroy();
      return;
    }
    if (fault?.kind === 'throttle') return answer(STATUS.ESME_RTHROTTLED);
    if (fault?.kind === 'queue-full') return answer(STATUS.ESME_RMSGQFUL);
    if (fault?.kind === 'error') return answer(fault.status);
    const submit: ReceivedSubmit = {
      systemId: c.systemId,
      messageId: idText(nextId++, options.idFormat ?? 'hex'),
      sm: pdu.sm,
      at: Date.now(),
    };
    const accept = () => {
      if (c.socket.destroyed) {
        counters.outstanding--;
        return;
      }
      submits.push(submit);
      if (fault?.kind === 'accept-then-drop') {
        counters.outstanding--;
        c.socket.destroy();
      } else answer(STATUS.ESME_ROK, submit.messageId);
      if (options.receipts !== false && pdu.sm.registered_delivery & 0x03)
        later(options.receiptDelayMs ?? 50, () => receipt(c.systemId, submit));
    };
    if (fault?.kind === 'delay') later(fault.ms, accept);
    else accept();
  }

  function onPdu(c: Connection, pdu: Pdu) {
    switch (pdu.command) {
      case 'bind_transceiver':
      case 'bind_transmitter':
      case 'bind_receiver': {
        const resp = `${pdu.command}_resp` as const;
        const { system_id, password } = pdu.bind;
        const refused =
          (options.systemId !== undefined && system_id !== options.systemId) ||
          (options.password !== undefined && password !== options.password);
        if (refused || c.mode !== null) {
          const status = c.mode !== null ? STATUS.ESME_RALYBND : STATUS.ESME_RINVPASWD;
          return write(c, { command: resp, system_id: '', status, sequence: pdu.sequence });
        }
        c.systemId = system_id;
        c.mode = pdu.command.slice(5) as Connection['mode'];
        counters.binds++;
        write(c, { command: resp, system_id: 'MIFUMOSIM', status: 0, sequence: pdu.sequence });
        log(`bound ${c.mode} ${system_id}`);
        if (options.enquireLinkMs)
          c.enquire = setInterval(() => {
            c.sequence++;
            write(c, { command: 'enquire_link', status: 0, sequence: c.sequence });
          }, options.enquireLinkMs);
        if (c.mode !== 'transmitter') flush(system_id);
        return;
      }
      case 'submit_sm':
        return onSubmit(c, pdu);
      case 'deliver_sm_resp':
        if (c.unanswered.delete(pdu.sequence)) counters.receiptsAcknowledged++;
        return;
      case 'enquire_link':
        counters.enquireLinks++;
        return write(c, { command: 'enquire_link_resp', status: 0, sequence: pdu.sequence });
      case 'enquire_link_resp':
        counters.enquireLinks++;
        return;
      case 'unbind':
        counters.unbinds++;
        write(c, { command: 'unbind_resp', status: 0, sequence: pdu.sequence });
        c.socket.end();
        return;
      default:
        if (!pdu.command.endsWith('_resp') && pdu.command !== 'generic_nack')
          write(c, { command: 'generic_nack', status: STATUS.ESME_RINVCMDID, sequence: pdu.sequence });
    }
  }

  function accept(socket: Socket) {
    const c: Connection = {
      socket,
      systemId: '',
      mode: null,
      sequence: 0,
      unanswered: new Map(),
      enquire: null,
    };
    connections.add(c);
    socket.setNoDelay(true);
    const framer = new PduFramer();
    socket.on('data', (chunk: Buffer) => {
      socket.cork(); // the answers to one chunk in one write
      try {
        for (const frame of framer.push(chunk)) {
          try {
            onPdu(c, decodePdu(frame));
          } catch (e) {
            const { status, sequence } = e as { status?: number; sequence?: number };
            write(c, {
              command: 'generic_nack',
              status: status ?? STATUS.ESME_RSYSERR,
              sequence: sequence ?? 0,
            });
          }
        }
      } catch {
        socket.destroy();
      }
      socket.uncork();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      connections.delete(c);
      if (c.enquire) clearInterval(c.enquire);
      // Receipts it never acknowledged go to the next receiver of the same system_id.
      const lost = [...c.unanswered.values()];
      if (lost.length && c.systemId) {
        pending.set(c.systemId, [...lost, ...(pending.get(c.systemId) ?? [])]);
        if (receivers(c.systemId).length) flush(c.systemId);
      }
    });
  }

  const server: Server = options.tls ? tlsServer(options.tls, accept) : netServer(accept);
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;

  return {
    port,
    /** Every submit accepted, in order. */
    submits,
    /** How many submit_sm arrived in each second (epoch seconds), accepted or not. */
    submitsPerSecond: perSecond as ReadonlyMap<number, number>,
    counters,
    get bound() {
      return [...connections].filter((c) => c.mode !== null).length;
    },
    /** The next submits get these instead of an acceptance, one each. */
    inject(...next: SmscFault[]) {
      faults.push(...next);
    },
    /** Cuts every connection, as a crashed link would. */
    dropConnections() {
      for (const c of connections) c.socket.destroy();
    },
    /** A message from a subscriber (MO) to a bound ESME of `systemId`, split into `parts` by UDH when more than one. */
    sendMo(mo: {
      systemId: string;
      from: string;
      to: string;
      text: string;
      ucs2?: boolean;
      parts?: number;
      reference?: number;
    }) {
      const units = mo.ucs2 ? encodeUcs2(mo.text) : encodeGsm7(mo.text);
      const parts = mo.parts ?? 1;
      const size = Math.ceil(units.length / parts / (mo.ucs2 ? 2 : 1)) * (mo.ucs2 ? 2 : 1);
      for (let i = 0; i < parts; i++) {
        const body = units.subarray(i * size, (i + 1) * size);
        const header = parts > 1 ? [5, 0, 3, mo.reference ?? 42, parts, i + 1] : [];
        deliver(mo.systemId, {
          ...blankShortMessage(),
          source_addr: mo.from.replace(/^\+/, ''),
          destination_addr: mo.to,
          esm_class: parts > 1 ? ESM_UDHI : 0,
          data_coding: mo.ucs2 ? 8 : 0,
          short_message: Uint8Array.from([...header, ...body]),
        });
      }
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const c of connections) c.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Smsc = Awaited<ReturnType<typeof startSmsc>>;

import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { CarrierError } from '@mifumo/core';
import {
  type Body,
  decodePdu,
  encodePdu,
  type Pdu,
  type PduError,
  PduFramer,
  type ShortMessage,
  STATUS,
  statusName,
} from './pdu';

export type BindMode = 'transceiver' | 'transmitter' | 'receiver';

export interface SessionOptions {
  host: string;
  port: number;
  /** TLS options; plain TCP without. */
  tls?: ConnectionOptions | undefined;
  mode: BindMode;
  systemId: string;
  password: string;
  systemType: string;
  /** submit_sm sent and not yet answered, at most. */
  window: number;
  /** submit_sm per second on this bind, at most; unlimited without. */
  submitsPerSecond?: number | undefined;
  /** How long any request waits for its response before the connection is taken to be dead. */
  responseTimeoutMs: number;
  /** An enquire_link this often while bound. */
  enquireLinkMs: number;
  /** Reconnection waits: from `min`, doubling up to `max`. */
  reconnectMs: { min: number; max: number };
  /** The first pause after ESME_RTHROTTLED or ESME_RMSGQFUL, doubling while they go on. */
  throttleBackoffMs: number;
  /** A deliver_sm (receipt or MO): answered once this settles (ESME_RX_T_APPN if it throws, so the SMSC sends it again). */
  onDeliver(sm: ShortMessage): Promise<void>;
  onError(message: string, error?: unknown): void;
}

/** Statuses after which the same submit may pass later; the rest refuse the message for good. */
const RETRYABLE = new Set<number>([
  STATUS.ESME_RINVBNDSTS,
  STATUS.ESME_RSYSERR,
  STATUS.ESME_RMSGQFUL,
  STATUS.ESME_RSUBMITFAIL,
  STATUS.ESME_RTHROTTLED,
  STATUS.ESME_RX_T_APPN,
  STATUS.ESME_RUNKNOWNERR,
]);
const THROTTLES = new Set<number>([STATUS.ESME_RTHROTTLED, STATUS.ESME_RMSGQFUL]);

interface Submit {
  sm: ShortMessage;
  signal: AbortSignal;
  /** The submit's promise: settled once, through `resolveSubmit` / `rejectSubmit`. */
  resolve: (messageId: string) => void;
  reject: (error: CarrierError) => void;
  /** Answered, failed or given up: skipped wherever it still sits. */
  settled: boolean;
  /** Its sequence number while in flight. */
  sequence: number;
  /** When it was last written, for the response timeout. */
  sentAt: number;
}

interface Waiting {
  resolve(pdu: Pdu): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const BIND_COMMANDS = {
  transceiver: 'bind_transceiver',
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
} as const;

/**
 * One SMPP bind: a connection kept up (reconnect with backoff, enquire_link both ways, unbind
 * answered), and the submits over it with a window of outstanding PDUs, a per-second cap, response
 * timeouts and backing off on throttling. A submit sent but not answered when the connection drops
 * goes out again once it is back, so nothing is lost; only those may reach the SMSC twice.
 */
export class SmppSession {
  private socket: Socket | null = null;
  private state: 'idle' | 'connecting' | 'bound' | 'closing' = 'idle';
  private stopping = false;
  private sequence = 0;
  /** Waiting to be sent, from `head` on (a deque: shifting an array is linear). */
  private queue: (Submit | undefined)[] = [];
  private head = 0;
  private readonly inflight = new Map<number, Submit>();
  /**
   * The submits waiting on each signal, and the one abort listener they share however many they are;
   * it goes with the last of them, so a long-lived signal does not gather a listener per submit.
   */
  private readonly bySignal = new Map<AbortSignal, { entries: Set<Submit>; onAbort: () => void }>();
  private timeoutCheck: ReturnType<typeof setInterval> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private reconnectWait: number;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private enquireTimer: ReturnType<typeof setInterval> | null = null;
  private pumpTimer: ReturnType<typeof setTimeout> | null = null;
  private nextSendAt = 0;
  private pausedUntil = 0;
  private throttleWait: number;
  /** Submits answered since the last connect, and connections made: for tests and operators. */
  readonly stats = { connects: 0, resent: 0, throttled: 0 };
  /** What last went wrong with the link, and when. */
  private lastError: { message: string; at: number } | null = null;
  /** A connect or bind has failed since the last bind (or the start): the SMSC is taken to be down. */
  private failing = false;

  constructor(private readonly options: SessionOptions) {
    this.reconnectWait = options.reconnectMs.min;
    this.throttleWait = options.throttleBackoffMs;
  }

  get bound() {
    return this.state === 'bound';
  }

  /** `bound`; `down` once a connect or bind failed since the last bind (reconnecting the while); else `connecting`. */
  get status(): {
    state: 'bound' | 'connecting' | 'down';
    lastError: { message: string; at: number } | null;
  } {
    const state = this.state === 'bound' ? 'bound' : this.failing ? 'down' : 'connecting';
    return { state, lastError: this.lastError };
  }

  private failed(message: string) {
    this.lastError = { message, at: Date.now() };
    if (this.state !== 'bound') this.failing = true;
  }

  get mode(): BindMode {
    return this.options.mode;
  }

  /** Submits waiting or in flight: how busy this bind is. */
  get load() {
    return this.queue.length - this.head + this.inflight.size;
  }

  start() {
    this.stopping = false;
    this.connect();
  }

  /** Resolves with the SMSC's message_id, or rejects with a CarrierError. */
  submit(sm: ShortMessage, signal: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.stopping)
        return reject(new CarrierError('SMPP session stopped', { retryable: true, carrierCode: 'STOPPED' }));
      if (signal.aborted) return reject(this.gaveUp());
      const entry: Submit = { sm, signal, resolve, reject, settled: false, sequence: 0, sentAt: 0 };
      let waiting = this.bySignal.get(signal);
      if (!waiting) {
        const entries = new Set<Submit>();
        waiting = { entries, onAbort: () => this.abortAll(entries) };
        this.bySignal.set(signal, waiting);
        signal.addEventListener('abort', waiting.onAbort, { once: true });
      }
      waiting.entries.add(entry);
      this.queue.push(entry);
      this.pump();
    });
  }

  private gaveUp() {
    return new CarrierError('submit gave up: no answer in time', { retryable: true, carrierCode: 'TIMEOUT' });
  }

  private resolveSubmit(entry: Submit, messageId: string) {
    if (this.settle(entry)) entry.resolve(messageId);
  }

  private rejectSubmit(entry: Submit, error: CarrierError) {
    if (this.settle(entry)) entry.reject(error);
  }

  /** Marks an entry done (false if it already was) and forgets it. */
  private settle(entry: Submit): boolean {
    if (entry.settled) return false;
    entry.settled = true;
    if (this.inflight.get(entry.sequence) === entry) this.inflight.delete(entry.sequence);
    const waiting = this.bySignal.get(entry.signal);
    if (waiting?.entries.delete(entry) && waiting.entries.size === 0) {
      this.bySignal.delete(entry.signal);
      entry.signal.removeEventListener('abort', waiting.onAbort);
    }
    return true;
  }

  private abortAll(entries: Set<Submit>) {
    for (const entry of [...entries]) this.rejectSubmit(entry, this.gaveUp());
    this.pump();
  }

  private takeNext(): Submit | undefined {
    while (this.head < this.queue.length) {
      const entry = this.queue[this.head];
      this.queue[this.head++] = undefined;
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      if (entry && !entry.settled) return entry;
    }
    return undefined;
  }

  private putBack(entries: Submit[]) {
    this.queue = [...entries, ...this.queue.slice(this.head)];
    this.head = 0;
  }

  /** Unbinds (waiting briefly for the answer) and closes; submits not answered yet fail as retryable. */
  async stop() {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    const stopped = new CarrierError('SMPP session stopped', { retryable: true, carrierCode: 'STOPPED' });
    const left = [...this.inflight.values(), ...this.queue.slice(this.head)];
    this.queue = [];
    this.head = 0;
    for (const e of left) if (e) this.rejectSubmit(e, stopped);
    this.inflight.clear();
    if (this.state === 'bound') {
      this.state = 'closing';
      await this.request({ command: 'unbind' }).catch(() => {});
    }
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    if (this.timeoutCheck) clearInterval(this.timeoutCheck);
    this.socket?.destroy();
    this.socket = null;
    this.state = 'idle';
  }

  private connect() {
    if (this.stopping || this.state !== 'idle') return;
    this.state = 'connecting';
    const { host, port, tls } = this.options;
    const socket = tls ? tlsConnect({ host, port, ...tls }) : netConnect({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    const framer = new PduFramer();
    socket.on(tls ? 'secureConnect' : 'connect', () => {
      this.bind().catch((e) => {
        this.failed(`bind to ${host}:${port} failed: ${(e as Error).message}`);
        socket.destroy();
      });
    });
    socket.on('data', (chunk: Buffer) => {
      let frames: Uint8Array[];
      try {
        frames = framer.push(chunk);
      } catch (e) {
        this.options.onError(`SMPP stream from ${host}:${port} is garbled; reconnecting`, e);
        socket.destroy();
        return;
      }
      socket.cork(); // what the answers to this chunk send, in one write
      for (const frame of frames) this.receive(frame);
      socket.uncork();
    });
    // 'close' follows, and reconnects.
    socket.on('error', (e) => this.failed(`${host}:${port}: ${e.message}`));
    socket.on('close', () => this.closed(socket));
  }

  private async bind() {
    const { systemId, password, systemType, mode } = this.options;
    const res = await this.request({
      command: BIND_COMMANDS[mode],
      bind: {
        system_id: systemId,
        password,
        system_type: systemType,
        interface_version: 0x34,
        addr_ton: 0,
        addr_npi: 0,
        address_range: '',
      },
    });
    if (res.status !== STATUS.ESME_ROK) throw new Error(`bind refused: ${statusName(res.status)}`);
    this.state = 'bound';
    this.failing = false;
    this.stats.connects++;
    this.reconnectWait = this.options.reconnectMs.min;
    this.enquireTimer = setInterval(() => {
      this.request({ command: 'enquire_link' }).catch(() => this.socket?.destroy());
    }, this.options.enquireLinkMs);
    // Silence on a submit: the connection is taken to be dead, and what it holds goes out again.
    const timeout = this.options.responseTimeoutMs;
    this.timeoutCheck = setInterval(
      () => {
        const oldest = this.inflight.values().next().value;
        if (oldest && Date.now() - oldest.sentAt > timeout) this.socket?.destroy();
      },
      Math.max(10, Math.min(1000, timeout / 4)),
    );
    this.pump();
  }

  private closed(socket: Socket) {
    if (this.socket !== socket) return;
    if (this.state === 'bound' && !this.stopping)
      this.lastError = { message: `the SMSC closed the connection`, at: Date.now() };
    this.socket = null;
    this.state = 'idle';
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    if (this.timeoutCheck) clearInterval(this.timeoutCheck);
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error('connection closed'));
    }
    this.waiting.clear();
    // What the SMSC did not answer goes out again, first and in order, on the next connection.
    const unanswered = [...this.inflight.values()];
    this.inflight.clear();
    this.stats.resent += unanswered.length;
    this.putBack(unanswered);
    if (this.stopping) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, this.reconnectWait);
    this.reconnectWait = Math.min(this.reconnectWait * 2, this.options.reconnectMs.max);
  }

  private nextSequence() {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }

  private write(pdu: Pdu) {
    this.socket?.write(encodePdu(pdu));
  }

  /** Sends a request and waits for its response (which may carry an error status). */
  private request(body: Body): Promise<Pdu> {
    const sequence = this.nextSequence();
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(sequence);
        reject(new Error(`no answer to ${body.command} within ${this.options.responseTimeoutMs} ms`));
      }, this.options.responseTimeoutMs);
      this.waiting.set(sequence, { resolve, reject, timer });
      this.write({ ...body, status: 0, sequence } as Pdu);
    });
  }

  private pump() {
    if (this.pumpTimer || this.state !== 'bound' || !this.socket) return;
    const socket = this.socket;
    socket.cork(); // every PDU of this turn in one write
    try {
      while (this.inflight.size < this.options.window && this.head < this.queue.length) {
        const now = Date.now();
        const wait = Math.max(this.pausedUntil, this.nextSendAt) - now;
        if (wait > 0) {
          this.pumpTimer = setTimeout(() => {
            this.pumpTimer = null;
            this.pump();
          }, wait);
          return;
        }
        const entry = this.takeNext();
        if (!entry) return;
        const sequence = this.nextSequence();
        entry.sequence = sequence;
        entry.sentAt = now;
        this.inflight.set(sequence, entry);
        const rate = this.options.submitsPerSecond;
        if (rate) this.nextSendAt = Math.max(now, this.nextSendAt) + 1000 / rate;
        this.write({ command: 'submit_sm', sm: entry.sm, status: 0, sequence });
      }
    } finally {
      socket.uncork();
    }
  }

  private receive(frame: Uint8Array) {
    let pdu: Pdu;
    try {
      pdu = decodePdu(frame);
    } catch (e) {
      const error = e as PduError;
      this.write({
        command: 'generic_nack',
        status: error.status ?? STATUS.ESME_RINVCMDLEN,
        sequence: error.sequence ?? 0,
      });
      return;
    }
    switch (pdu.command) {
      case 'enquire_link':
        return this.write({ command: 'enquire_link_resp', status: 0, sequence: pdu.sequence });
      case 'unbind':
        this.write({ command: 'unbind_resp', status: 0, sequence: pdu.sequence });
        this.socket?.end();
        return;
      case 'deliver_sm': {
        const { sequence } = pdu;
        this.options.onDeliver(pdu.sm).then(
          () => this.write({ command: 'deliver_sm_resp', message_id: '', status: 0, sequence }),
          (e) => {
            this.options.onError('a deliver_sm could not be taken; the SMSC will send it again', e);
            this.write({
              command: 'deliver_sm_resp',
              message_id: '',
              status: STATUS.ESME_RX_T_APPN,
              sequence,
            });
          },
        );
        return;
      }
      case 'submit_sm_resp':
      case 'generic_nack': {
        const entry = this.inflight.get(pdu.sequence);
        if (entry) return this.answered(pdu.sequence, entry, pdu);
        break;
      }
    }
    const waiting = this.waiting.get(pdu.sequence);
    if (waiting && pdu.command.endsWith('_resp')) {
      clearTimeout(waiting.timer);
      this.waiting.delete(pdu.sequence);
      return waiting.resolve(pdu);
    }
    if (!pdu.command.endsWith('_resp') && pdu.command !== 'generic_nack')
      this.write({ command: 'generic_nack', status: STATUS.ESME_RINVCMDID, sequence: pdu.sequence });
  }

  private answered(sequence: number, entry: Submit, pdu: Pdu) {
    this.inflight.delete(sequence);
    entry.sequence = 0;
    const messageId = 'message_id' in pdu ? pdu.message_id : '';
    if (pdu.status === STATUS.ESME_ROK && messageId !== '') {
      this.throttleWait = this.options.throttleBackoffMs;
      this.resolveSubmit(entry, messageId);
    } else if (THROTTLES.has(pdu.status)) {
      // Back off and send it again, first in line, without failing the message.
      this.stats.throttled++;
      this.putBack([entry]);
      this.pausedUntil = Date.now() + this.throttleWait;
      this.throttleWait = Math.min(this.throttleWait * 2, this.options.throttleBackoffMs * 16);
    } else if (pdu.status === STATUS.ESME_ROK) {
      this.rejectSubmit(
        entry,
        new CarrierError('the SMSC accepted the submit without a message_id', {
          retryable: true,
          carrierCode: 'NO_MESSAGE_ID',
        }),
      );
    } else {
      this.rejectSubmit(
        entry,
        new CarrierError(`the SMSC refused the submit: ${statusName(pdu.status)}`, {
          retryable: RETRYABLE.has(pdu.status),
          carrierCode: `0x${pdu.status.toString(16).padStart(8, '0')}`,
        }),
      );
    }
    this.pump();
  }
}

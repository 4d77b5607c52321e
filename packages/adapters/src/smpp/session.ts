import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { Backoff } from './backoff';
import { keepAlive } from './keepalive';
import { Outbox } from './outbox';
import { SubmitPacing } from './pacing';
import {
  type Body,
  decodePdu,
  type Pdu,
  type PduError,
  PduFramer,
  type ShortMessage,
  STATUS,
  statusName,
} from './pdu';
import { PendingRequests } from './requests';
import { gaveUp, isThrottle, refusal, stopped } from './submit-status';
import { type Submit, SubmitWindow } from './submit-window';

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

const BIND_COMMANDS = {
  transceiver: 'bind_transceiver',
  transmitter: 'bind_transmitter',
  receiver: 'bind_receiver',
} as const;

/**
 * One SMPP bind: a connection kept up (reconnect with backoff, enquire_link both ways, unbind
 * answered), and the submits over it with a window of outstanding PDUs (SubmitWindow), a per-second
 * cap and backing off on throttling (SubmitPacing), and response timeouts (keepAlive). A submit sent
 * but not answered when the connection drops goes out again once it is back, so nothing is lost; only
 * those may reach the SMSC twice.
 */
export class SmppSession {
  private socket: Socket | null = null;
  private state: 'idle' | 'connecting' | 'bound' | 'closing' = 'idle';
  private stopping = false;
  private sequence = 0;
  private readonly window: SubmitWindow;
  private readonly pacing: SubmitPacing;
  private readonly requests: PendingRequests;
  /** What the session writes: batched while reading a chunk or sending a turn's submits. */
  private readonly outbox = new Outbox((bytes) => this.socket?.write(bytes));
  private readonly reconnectWait: Backoff;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pumpTimer: ReturnType<typeof setTimeout> | null = null;
  /** Stops the timers of the bound connection. */
  private stopKeepalive: (() => void) | null = null;
  /** Submits answered since the last connect, and connections made: for tests and operators. */
  readonly stats = { connects: 0, resent: 0, throttled: 0 };
  /** What last went wrong with the link, and when. */
  private lastError: { message: string; at: number } | null = null;
  /** A connect or bind has failed since the last bind (or the start): the SMSC is taken to be down. */
  private failing = false;

  constructor(private readonly options: SessionOptions) {
    this.window = new SubmitWindow(options.window, () => this.pump());
    this.pacing = new SubmitPacing(options.submitsPerSecond, options.throttleBackoffMs);
    this.requests = new PendingRequests(options.responseTimeoutMs);
    this.reconnectWait = new Backoff(options.reconnectMs.min, options.reconnectMs.max);
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

  get mode(): BindMode {
    return this.options.mode;
  }

  /** Submits waiting or in flight: how busy this bind is. */
  get load() {
    return this.window.load;
  }

  start() {
    this.stopping = false;
    this.connect();
  }

  /** Resolves with the SMSC's message_id, or rejects with a CarrierError. */
  submit(sm: ShortMessage, signal: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.stopping) return reject(stopped());
      if (signal.aborted) return reject(gaveUp());
      this.window.add(sm, signal, resolve, reject);
      this.pump();
    });
  }

  /** Unbinds (waiting briefly for the answer) and closes; submits not answered yet fail as retryable. */
  async stop() {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.window.failAll(stopped());
    if (this.state === 'bound') {
      this.state = 'closing';
      await this.request({ command: 'unbind' }).catch(() => {});
    }
    this.stopKeepalive?.();
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
      this.outbox.hold(); // what the answers to this chunk send, in one write
      try {
        for (const frame of frames) this.receive(frame);
      } finally {
        this.outbox.release();
      }
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
    this.reconnectWait.reset();
    this.stopKeepalive = keepAlive({
      enquireLinkMs: this.options.enquireLinkMs,
      responseTimeoutMs: this.options.responseTimeoutMs,
      enquireLink: () => {
        this.request({ command: 'enquire_link' }).catch(() => this.socket?.destroy());
      },
      oldestSentAt: () => this.window.oldestSentAt(),
      // Silence on a submit: the connection is taken to be dead, and what it holds goes out again.
      dead: () => this.socket?.destroy(),
    });
    this.pump();
  }

  /** Sends what may go now of the submits waiting: up to the window, as the pacing allows. */
  private pump() {
    if (this.pumpTimer || this.state !== 'bound' || !this.socket || !this.window.canSend) return;
    this.outbox.hold(); // every PDU of this turn in one write
    try {
      while (this.window.canSend) {
        const now = Date.now();
        const wait = this.pacing.waitAt(now);
        if (wait > 0) {
          this.pumpTimer = setTimeout(() => {
            this.pumpTimer = null;
            this.pump();
          }, wait);
          return;
        }
        const entry = this.window.takeNext();
        if (!entry) return;
        const sequence = this.nextSequence();
        this.window.sent(entry, sequence, now);
        this.pacing.sent(now);
        this.write({ command: 'submit_sm', sm: entry.sm, status: 0, sequence });
      }
    } finally {
      this.outbox.release();
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
        this.outbox.flush(); // before the end
        this.socket?.end();
        return;
      case 'deliver_sm':
        return this.deliver(pdu.sm, pdu.sequence);
      case 'submit_sm_resp':
      case 'generic_nack': {
        const entry = this.window.answered(pdu.sequence);
        if (entry) return this.answered(entry, pdu.status, 'message_id' in pdu ? pdu.message_id : '');
        break;
      }
    }
    const response = pdu.command.endsWith('_resp');
    if (response && this.requests.answer(pdu)) return;
    if (!response && pdu.command !== 'generic_nack')
      this.write({ command: 'generic_nack', status: STATUS.ESME_RINVCMDID, sequence: pdu.sequence });
  }

  /** A receipt or MO: answered once taken, or with ESME_RX_T_APPN so that the SMSC sends it again. */
  private deliver(sm: ShortMessage, sequence: number) {
    this.options.onDeliver(sm).then(
      () => this.write({ command: 'deliver_sm_resp', message_id: '', status: 0, sequence }),
      (e) => {
        this.options.onError('a deliver_sm could not be taken; the SMSC will send it again', e);
        this.write({ command: 'deliver_sm_resp', message_id: '', status: STATUS.ESME_RX_T_APPN, sequence });
      },
    );
  }

  private answered(entry: Submit, status: number, messageId: string) {
    if (status === STATUS.ESME_ROK && messageId !== '') {
      this.pacing.accepted();
      this.window.resolve(entry, messageId);
    } else if (isThrottle(status)) {
      // Back off and send it again, first in line, without failing the message.
      this.stats.throttled++;
      this.window.retryFirst(entry);
      this.pacing.throttled(Date.now());
    } else this.window.reject(entry, refusal(status));
    this.pump();
  }

  private closed(socket: Socket) {
    if (this.socket !== socket) return;
    if (this.state === 'bound' && !this.stopping)
      this.lastError = { message: `the SMSC closed the connection`, at: Date.now() };
    this.socket = null;
    this.state = 'idle';
    this.stopKeepalive?.();
    this.requests.failAll('connection closed');
    // What the SMSC did not answer goes out again, first and in order, on the next connection.
    this.stats.resent += this.window.requeueInflight();
    if (this.stopping) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, this.reconnectWait.next());
  }

  private failed(message: string) {
    this.lastError = { message, at: Date.now() };
    if (this.state !== 'bound') this.failing = true;
  }

  private nextSequence() {
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    return this.sequence;
  }

  private write(pdu: Pdu) {
    this.outbox.send(pdu);
  }

  /** Sends a request and waits for its response (which may carry an error status). */
  private request(body: Body): Promise<Pdu> {
    const sequence = this.nextSequence();
    return this.requests.send(sequence, body.command, () =>
      this.write({ ...body, status: 0, sequence } as Pdu),
    );
  }
}

import type { CarrierError } from '@mifumo/core';
import type { ShortMessage } from './pdu';
import { gaveUp } from './submit-status';

/** One submit_sm, from its submit until it is settled. */
export interface Submit {
  sm: ShortMessage;
  signal: AbortSignal;
  /** The submit's promise: settled once, through `resolve` / `reject` below. */
  resolve: (messageId: string) => void;
  reject: (error: CarrierError) => void;
  /** Answered, failed or given up: skipped wherever it still sits. */
  settled: boolean;
  /** Its sequence number while in flight. */
  sequence: number;
  /** When it was last written, for the response timeout. */
  sentAt: number;
}

/**
 * A bind's submits: those waiting to be sent, in order, and those in flight (at most `size`) by
 * sequence number, in the order sent. Each settles once: answered, refused, given up by its signal, or
 * failed when the session stops. The submits waiting on one signal share a single abort listener,
 * which goes with the last of them, so a long-lived signal does not gather a listener per submit.
 */
export class SubmitWindow {
  /** Waiting to be sent, from `head` on (a deque: shifting an array is linear). */
  private queue: (Submit | undefined)[] = [];
  private head = 0;
  private readonly inflight = new Map<number, Submit>();
  private readonly bySignal = new Map<AbortSignal, { entries: Set<Submit>; onAbort: () => void }>();

  /** `onAbort`: submits were given up by their signal (room may have been made). */
  constructor(
    private readonly size: number,
    private readonly onAbort: () => void,
  ) {}

  /** Submits waiting or in flight: how busy this bind is. */
  get load() {
    return this.queue.length - this.head + this.inflight.size;
  }

  /** A submit may be waiting, and there is room in flight for it. */
  get canSend() {
    return this.inflight.size < this.size && this.head < this.queue.length;
  }

  /** A submit at the back of the line, settled later through `resolve` or `reject`. */
  add(sm: ShortMessage, signal: AbortSignal, resolve: Submit['resolve'], reject: Submit['reject']) {
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
  }

  /** The first submit still waiting, out of the line. */
  takeNext(): Submit | undefined {
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

  /** `entry` went out as `sequence` at `now`. */
  sent(entry: Submit, sequence: number, now: number) {
    entry.sequence = sequence;
    entry.sentAt = now;
    this.inflight.set(sequence, entry);
  }

  /** The submit in flight as `sequence`, now answered and no longer in flight; undefined if none is. */
  answered(sequence: number): Submit | undefined {
    const entry = this.inflight.get(sequence);
    if (!entry) return undefined;
    this.inflight.delete(sequence);
    entry.sequence = 0;
    return entry;
  }

  /** When the submit longest in flight went out; undefined when none is. */
  oldestSentAt(): number | undefined {
    return this.inflight.values().next().value?.sentAt;
  }

  /** An answered submit to send again, first in line. */
  retryFirst(entry: Submit) {
    this.putBack([entry]);
  }

  /** The connection dropped: what was in flight goes out again first, in the order sent. How many. */
  requeueInflight(): number {
    const unanswered = [...this.inflight.values()];
    this.inflight.clear();
    this.putBack(unanswered);
    return unanswered.length;
  }

  private putBack(entries: Submit[]) {
    this.queue = [...entries, ...this.queue.slice(this.head)];
    this.head = 0;
  }

  resolve(entry: Submit, messageId: string) {
    if (this.settle(entry)) entry.resolve(messageId);
  }

  reject(entry: Submit, error: CarrierError) {
    if (this.settle(entry)) entry.reject(error);
  }

  /** Fails every submit waiting or in flight (the session stops). */
  failAll(error: CarrierError) {
    const left = [...this.inflight.values(), ...this.queue.slice(this.head)];
    this.queue = [];
    this.head = 0;
    for (const entry of left) if (entry) this.reject(entry, error);
    this.inflight.clear();
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
    for (const entry of [...entries]) this.reject(entry, gaveUp());
    this.onAbort();
  }
}

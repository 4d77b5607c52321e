import type { Pdu } from './pdu';

interface Waiting {
  resolve(pdu: Pdu): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/** The requests other than submits (binds, enquire_link, unbind) waiting for their response, by sequence. */
export class PendingRequests {
  private readonly waiting = new Map<number, Waiting>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * Sends request `sequence` (`send`) and waits for its response, which may carry an error status;
   * rejects when none comes within the timeout, or when `send` throws.
   */
  send(sequence: number, command: string, send: () => void): Promise<Pdu> {
    return new Promise<Pdu>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(sequence);
        reject(new Error(`no answer to ${command} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.waiting.set(sequence, { resolve, reject, timer });
      send();
    });
  }

  /** Hands a response to the request it answers; false when no request waits for it. */
  answer(pdu: Pdu): boolean {
    const waiting = this.waiting.get(pdu.sequence);
    if (!waiting) return false;
    clearTimeout(waiting.timer);
    this.waiting.delete(pdu.sequence);
    waiting.resolve(pdu);
    return true;
  }

  /** Every request still waiting fails, with `message` (the connection closed). */
  failAll(message: string) {
    for (const w of this.waiting.values()) {
      clearTimeout(w.timer);
      w.reject(new Error(message));
    }
    this.waiting.clear();
  }
}

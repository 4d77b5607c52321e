import { type Pdu, PduBatch } from './pdu';

/**
 * What a session sends, in as few writes as it can: the PDUs sent while held (reading a chunk of
 * answers, a turn of the pump) are encoded one after another and go in one write when the outermost
 * hold is released; one sent while nothing holds goes at once.
 */
export class Outbox {
  private readonly batch = new PduBatch();
  private holds = 0;

  constructor(private readonly write: (bytes: Uint8Array) => void) {}

  /** Throws (RangeError) for a PDU that cannot be encoded, keeping those sent before it. */
  send(pdu: Pdu) {
    this.batch.add(pdu);
    if (this.holds === 0) this.flush();
  }

  hold() {
    this.holds++;
  }

  release() {
    if (--this.holds === 0) this.flush();
  }

  /** Writes what was sent so far now, held or not. */
  flush() {
    const bytes = this.batch.take();
    if (bytes) this.write(bytes);
  }
}

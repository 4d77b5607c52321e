import { describe, expect, it } from 'vitest';
import { Outbox } from './outbox';
import { decodePdu, encodePdu, type Pdu, PduFramer } from './pdu';

const enquire = (sequence: number): Pdu => ({ command: 'enquire_link', status: 0, sequence });

/** An outbox and the writes it made, each as the sequence numbers of its PDUs. */
function setup() {
  const writes: Uint8Array[] = [];
  const outbox = new Outbox((bytes) => writes.push(bytes));
  const sequences = () => writes.map((w) => new PduFramer().push(w).map((f) => decodePdu(f).sequence));
  return { outbox, writes, sequences };
}

describe('Outbox', () => {
  it('writes at once when nothing holds it, and once per outermost hold otherwise, in order', () => {
    const { outbox, sequences } = setup();
    outbox.send(enquire(1));
    outbox.hold();
    outbox.send(enquire(2));
    outbox.hold();
    outbox.send(enquire(3));
    outbox.release();
    outbox.send(enquire(4));
    outbox.release();
    outbox.hold();
    outbox.release(); // nothing sent: no write
    expect(sequences()).toEqual([[1], [2, 3, 4]]);
  });

  it('flush writes what is held so far', () => {
    const { outbox, sequences } = setup();
    outbox.hold();
    outbox.send(enquire(1));
    outbox.flush();
    outbox.send(enquire(2));
    outbox.release();
    expect(sequences()).toEqual([[1], [2]]);
  });

  it('a PDU that cannot be encoded throws and leaves the others whole', () => {
    const { outbox, writes, sequences } = setup();
    outbox.hold();
    outbox.send(enquire(1));
    expect(() => outbox.send({ command: 'submit_sm_resp', message_id: 'é', status: 0, sequence: 2 })).toThrow(
      RangeError,
    );
    outbox.send(enquire(3));
    outbox.release();
    expect(sequences()).toEqual([[1, 3]]);
    expect(writes[0]).toEqual(new Uint8Array([...encodePdu(enquire(1)), ...encodePdu(enquire(3))]));
  });

  it('what it wrote stays as written while it goes on writing, well past a slab, held or not', () => {
    const { outbox, writes, sequences } = setup();
    const long = 'x'.repeat(64);
    const response = (sequence: number): Pdu => ({
      command: 'submit_sm_resp',
      message_id: long,
      status: 0,
      sequence,
    });
    for (let i = 1; i <= 2_000; i++) outbox.send(response(i));
    outbox.hold();
    for (let i = 2_001; i <= 4_000; i++) outbox.send(response(i));
    outbox.release();
    expect(writes.slice(0, 2_000).map((w) => decodePdu(w))).toEqual(
      Array.from({ length: 2_000 }, (_, i) => response(i + 1)),
    );
    expect(sequences()[2_000]).toEqual(Array.from({ length: 2_000 }, (_, i) => i + 2_001));
  });
});

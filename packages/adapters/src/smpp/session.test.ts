import { createServer, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { until } from '../testing/http-server';
import { decodePdu, encodePdu, type Pdu, PduFramer } from './pdu';
import { SmppSession } from './session';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A bare SMSC over TCP that grants the bind, then does `afterBind`; what it reads, in order. */
async function bareSmsc(afterBind: (socket: Socket, send: (pdu: Pdu) => void) => void) {
  const seen: string[] = [];
  const server = createServer((socket) => {
    const framer = new PduFramer();
    const send = (pdu: Pdu) => socket.write(encodePdu(pdu));
    socket.on('data', (chunk) => {
      for (const frame of framer.push(chunk)) {
        const pdu = decodePdu(frame);
        seen.push(pdu.command);
        if (pdu.command === 'bind_transceiver') {
          send({ command: 'bind_transceiver_resp', system_id: 'smsc', status: 0, sequence: pdu.sequence });
          afterBind(socket, send);
        } else if (pdu.command === 'unbind')
          send({ command: 'unbind_resp', status: 0, sequence: pdu.sequence });
      }
    });
    socket.on('end', () => {
      seen.push('end');
      socket.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  const port = (server.address() as { port: number }).port;
  return { port, seen };
}

function session(port: number) {
  const s = new SmppSession({
    host: '127.0.0.1',
    port,
    mode: 'transceiver',
    systemId: 'esme',
    password: 'secret',
    systemType: '',
    window: 10,
    responseTimeoutMs: 5_000,
    enquireLinkMs: 60_000,
    reconnectMs: { min: 60_000, max: 60_000 },
    throttleBackoffMs: 100,
    onDeliver: async () => {},
    onError: () => {},
  });
  s.start();
  cleanups.push(() => s.stop());
  return s;
}

it('answers an unbind from the SMSC before it ends the connection', async () => {
  const smsc = await bareSmsc((_socket, send) => send({ command: 'unbind', status: 0, sequence: 1 }));
  session(smsc.port);
  await until(() => smsc.seen.includes('end'));
  expect(smsc.seen).toEqual(['bind_transceiver', 'unbind_resp', 'end']);
});

it('answers every PDU of a chunk, in order, whatever it is', async () => {
  const smsc = await bareSmsc((socket) =>
    socket.write(
      Buffer.concat(
        [
          encodePdu({ command: 'enquire_link', status: 0, sequence: 1 }),
          Buffer.from('00000010000000ff0000000000000002', 'hex'), // an unknown command
          encodePdu({ command: 'enquire_link', status: 0, sequence: 3 }),
        ].map((b) => Buffer.from(b)),
      ),
    ),
  );
  session(smsc.port);
  await until(() => smsc.seen.length === 4);
  expect(smsc.seen).toEqual(['bind_transceiver', 'enquire_link_resp', 'generic_nack', 'enquire_link_resp']);
});

import type { CarrierAdapter, CarrierError } from '@mifumo/core';
import type { CarrierUnderTest } from '@mifumo/core/testing';
import { callbackReceiver, type PeerFault } from './http-server';

interface Peer {
  url: string;
  fault(f: PeerFault): void;
  close(): Promise<void>;
}

/**
 * An aggregator adapter wired for the conformance suite: its stand-in server (`start`) POSTs delivery
 * callbacks over HTTP to a local receiver, whose requests the suite reads with `handleCallback`.
 */
export async function aggregatorUnderTest<P extends Peer>(
  start: (callbackUrl: string) => Promise<P>,
  adapter: (peer: P) => CarrierAdapter,
): Promise<CarrierUnderTest> {
  const receiver = await callbackReceiver();
  const peer = await start(receiver.url);
  return {
    adapter: adapter(peer),
    refuseNext: (kind) => peer.fault(kind),
    holdNext: () => peer.fault('hold'),
    takeCallbacks: receiver.take,
    close: async () => {
      await peer.close();
      await receiver.close();
    },
  };
}

/** The CarrierError a submit was refused with; fails if it was accepted. */
export const refusal = (submit: Promise<unknown>): Promise<CarrierError> =>
  submit.then(
    () => {
      throw new Error('accepted');
    },
    (e: CarrierError) => e,
  );

import { afterEach, describe, expect, it } from 'vitest';
import type { CarrierAdapter, DeliveryReport } from '../carriers/contract';
import { CarrierError } from '../carriers/contract';
import { outboundMessage } from './outbound-message';
import { recordingContext } from './recording-context';

/** An adapter wired to a peer the test controls (a simulator, a local server, the fake's own faults). */
export interface CarrierUnderTest {
  adapter: CarrierAdapter;
  /** The peer refuses the next submit as a throttle (`retryable`) or a bad destination (`permanent`). */
  refuseNext(kind: 'retryable' | 'permanent'): void;
  /** The peer holds the next submit unanswered. */
  holdNext(): void;
  /** Shuts the peer down (after the adapter is stopped). */
  close(): Promise<void>;
  /**
   * For a carrier that reports by HTTP callback: the callback requests its peer has POSTed since the
   * last call (received over real HTTP by the test); the suite reads them with `handleCallback`.
   */
  takeCallbacks?(): Request[];
}

const outbound = (text: string) => outboundMessage(text);

const TEXTS: [string, string, number][] = [
  ['one-part GSM-7', 'Habari, oda yako imefika.', 1],
  ['long GSM-7 with escapes', `${'Bei ni €5 [punguzo] '.repeat(15)}mwisho`, 3],
  ['long UCS-2 with emoji', `${'Karibu 😀 “nyumbani” '.repeat(7)}`, 3],
];

/**
 * What every carrier adapter must do, whatever it speaks: submit one-part and long GSM-7 and UCS-2
 * messages with the carrier's own ids, match receipts to them, tell retryable refusals from permanent
 * ones, and stop cleanly with a submit in flight. Each adapter's test calls this with a factory.
 */
export function runCarrierConformance(name: string, make: () => Promise<CarrierUnderTest>) {
  describe(`CarrierAdapter conformance: ${name}`, () => {
    let current: CarrierUnderTest | null = null;
    let reports: DeliveryReport[] = [];
    const never = new AbortController().signal;

    /** Waits for `done`, reading the callbacks of a callback carrier as they come. */
    async function until(done: () => boolean, what: string) {
      for (let waited = 0; !done(); waited += 10) {
        if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
        for (const request of current?.takeCallbacks?.() ?? []) {
          const content = await current!.adapter.handleCallback!(request);
          reports.push(...content.reports);
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    async function started() {
      const recording = recordingContext();
      reports = recording.reports;
      current = await make();
      await current.adapter.start?.(recording.ctx);
      return current;
    }

    afterEach(async () => {
      await current?.adapter.stop?.();
      await current?.close();
      current = null;
    });

    it.each(TEXTS)(
      '%s: accepted with the carrier’s own ids, and its receipt matches one',
      async (_n, text, parts) => {
        const { adapter } = await started();
        const message = outbound(text);
        expect(message.parts).toHaveLength(parts);
        const { carrierMessageIds } = await adapter.submit(message, never);
        expect(carrierMessageIds.length).toBeGreaterThanOrEqual(1);
        for (const id of carrierMessageIds) expect(id).toMatch(/\S/);
        expect(new Set(carrierMessageIds).size).toBe(carrierMessageIds.length);
        await until(() => reports.length > 0, 'a receipt');
        expect(carrierMessageIds).toContain(reports[0]!.carrierMessageId);
        expect(['delivered', 'failed']).toContain(reports[0]!.status);
      },
    );

    it('two submits get different ids', async () => {
      const { adapter } = await started();
      const a = await adapter.submit(outbound('one'), never);
      const b = await adapter.submit(outbound('two'), never);
      expect(a.carrierMessageIds.filter((id) => b.carrierMessageIds.includes(id))).toEqual([]);
    });

    it.each([
      ['retryable', true],
      ['permanent', false],
    ] as const)(
      'a %s refusal is a CarrierError that says so, with the carrier’s code',
      async (kind, retryable) => {
        const c = await started();
        c.refuseNext(kind);
        const error = await c.adapter.submit(outbound('refused'), never).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(CarrierError);
        expect((error as CarrierError).retryable).toBe(retryable);
        expect((error as CarrierError).carrierCode).toMatch(/\S/);
        // The next submit goes through as usual.
        expect((await c.adapter.submit(outbound('after'), never)).carrierMessageIds.length).toBeGreaterThan(
          0,
        );
      },
    );

    it('an aborted submit gives up with a retryable CarrierError', async () => {
      const c = await started();
      c.holdNext();
      const abort = new AbortController();
      const pending = c.adapter.submit(outbound('held'), abort.signal);
      abort.abort();
      await expect(pending).rejects.toMatchObject({ name: 'CarrierError', retryable: true });
    });

    it('stop with a submit in flight: the submit settles (retryable if refused) and nothing is reported after', async () => {
      const c = await started();
      c.holdNext();
      const pending = c.adapter.submit(outbound('held'), never).then(
        () => null,
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 20));
      await c.adapter.stop?.();
      const outcome = await pending;
      if (outcome !== null) expect(outcome).toMatchObject({ name: 'CarrierError', retryable: true });
      const seen = reports.length;
      await new Promise((r) => setTimeout(r, 100));
      expect(reports.length).toBe(seen);
    });
  });
}

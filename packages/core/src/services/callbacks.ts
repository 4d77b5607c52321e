import {
  type CallbackContent,
  type CarrierAdapter,
  CarrierError,
  type ReportOutcome,
} from '../carriers/contract';
import type { Reports } from '../dispatch/reports';
import { unsafeFields } from '../domain/safe-text';
import { GatewayError } from '../errors';
import { sha256Hex } from '../sha256';
import type { Keywords } from './keywords';

export interface CallbackSummary {
  reports: Record<ReportOutcome, number>;
  inbound: { stored: number; duplicate: number };
}

/** Whether `given` is the carrier's token; both are hashed first, so the comparison leaks nothing of it. */
async function sameToken(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  return a === b;
}

/**
 * HTTP callbacks from carriers (aggregators' delivery reports and inbound messages). A callback must
 * carry the carrier's `callbackToken`; its content is read by the carrier's own adapter and applied
 * like a pushed report.
 */
export function createCallbacks(deps: {
  carriers: ReadonlyMap<string, CarrierAdapter>;
  reports: Reports;
  /** Stores an inbound message and acts on its keyword. */
  receive: Keywords['receive'];
}) {
  return {
    /**
     * Throws NOT_FOUND for a carrier that takes no callbacks, INVALID_CREDENTIALS for a missing or wrong
     * token (`onWrongToken` runs first, for the failed-authentication throttle) and VALIDATION_ERROR
     * for a body the adapter cannot read. Nothing changes unless the token is right.
     */
    async handle(
      carrierId: string,
      token: string | null,
      request: Request,
      onWrongToken: () => Promise<void>,
    ): Promise<CallbackSummary> {
      const carrier = deps.carriers.get(carrierId);
      if (!carrier?.handleCallback)
        throw new GatewayError('NOT_FOUND', `No carrier ${carrierId} takes callbacks`);
      const expected = carrier.callbackToken;
      if (token === null || expected === undefined || !(await sameToken(token, expected))) {
        await onWrongToken();
        throw new GatewayError('INVALID_CREDENTIALS', 'Wrong or missing callback token', {
          hint: 'Send the carrier’s callbackToken as ?token= or Authorization: Bearer',
        });
      }
      let content: CallbackContent;
      try {
        content = await carrier.handleCallback(request);
      } catch (e) {
        if (e instanceof CarrierError)
          throw new GatewayError('VALIDATION_ERROR', `Unreadable ${carrier.type} callback: ${e.message}`, [
            { field: '(body)', message: e.message },
          ]);
        throw e;
      }
      const unsafe = unsafeFields(content);
      if (unsafe.length)
        throw new GatewayError(
          'VALIDATION_ERROR',
          `Unusable ${carrier.type} callback: ${unsafe[0]!.field} ${unsafe[0]!.message}`,
          unsafe,
        );
      const summary: CallbackSummary = {
        reports: { applied: 0, duplicate: 0, held: 0, dropped: 0, unknown: 0 },
        inbound: { stored: 0, duplicate: 0 },
      };
      for (const report of content.reports) summary.reports[await deps.reports.handle(carrierId, report)]++;
      for (const message of content.inbound)
        summary.inbound[(await deps.receive(carrierId, message)).outcome]++;
      return summary;
    },
  };
}

export type Callbacks = ReturnType<typeof createCallbacks>;

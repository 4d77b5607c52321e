import type { CarrierContext, DeliveryReport, InboundMessage } from '../carriers/contract';

/**
 * A CarrierContext for adapter tests that keeps what the adapter reports: receipts in `reports`,
 * inbound messages in `inbound`. Nothing is awaiting reports unless `awaitingReports` is given.
 */
export function recordingContext(overrides: Partial<CarrierContext> = {}) {
  const reports: DeliveryReport[] = [];
  const inbound: InboundMessage[] = [];
  const ctx: CarrierContext = {
    report: async (r) => {
      reports.push(r);
      return 'applied';
    },
    awaitingReports: async () => ({ messages: [], next: null }),
    inbound: async (m) => {
      inbound.push(m);
      return 'stored';
    },
    ...overrides,
  };
  return { ctx, reports, inbound };
}

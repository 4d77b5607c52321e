import {
  type CarrierAdapter,
  type CarrierCapabilities,
  type CarrierContext,
  CarrierError,
  type DeliveryReport,
  type OutboundMessage,
} from '../src/carriers/contract';

export type Outcome = 'ok' | 'retryable' | 'permanent' | 'hang';

/**
 * A carrier whose submits take the next scripted outcome (`ok` once the script runs out, or `down`'s
 * answer when set), answering ids `<id>-<n>` (one per part with `idPerPart`). Reports go back through
 * the context it was started with.
 */
export function scriptedCarrier(
  options: {
    id?: string;
    outcomes?: Outcome[];
    capabilities?: CarrierCapabilities;
    idPerPart?: boolean;
  } = {},
) {
  const id = options.id ?? 'dev';
  const outcomes = [...(options.outcomes ?? [])];
  const calls: OutboundMessage[] = [];
  let ctx: CarrierContext | null = null;
  let down = false;
  const adapter: CarrierAdapter = {
    id,
    type: 'scripted',
    capabilities: options.capabilities,
    start: (c) => {
      ctx = c;
    },
    async submit(message, signal) {
      calls.push(message);
      const outcome = down ? 'retryable' : (outcomes.shift() ?? 'ok');
      if (outcome === 'retryable')
        throw new CarrierError('throttled', { retryable: true, carrierCode: '0x58' });
      if (outcome === 'permanent')
        throw new CarrierError('bad destination', { retryable: false, carrierCode: '0x0B' });
      if (outcome === 'hang')
        await new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      const n = calls.length;
      return {
        carrierMessageIds: options.idPerPart
          ? message.parts.map((_, i) => `${id}-${n}.${i + 1}`)
          : [id === 'dev' ? `c${n}` : `${id}-${n}`],
      };
    },
  };
  return {
    adapter,
    calls,
    /** Every submit from now on is refused as retryable (true) or scripted again (false). */
    setDown(value: boolean) {
      down = value;
    },
    report: (carrierMessageId: string, more: Partial<DeliveryReport> = {}) =>
      ctx!.report({ carrierMessageId, status: 'delivered', ...more }),
  };
}

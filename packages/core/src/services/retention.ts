import { type Clock, iso } from '../clock';
import type { MifumoConfig } from '../config';
import type { Store } from '../storage/store';

/** What a body or text becomes once retention removes it. */
export const REDACTED = '[redacted]';

const DAY_MS = 86_400_000;

/** What one `pruneDue` changed, by kind. */
export interface Pruned {
  messageBodies: number;
  webhookEvents: number;
  inboundTexts: number;
  dashboardSessions: number;
}

/**
 * Retention: message bodies and inbound texts redacted, finished webhook events and expired dashboard
 * sessions deleted, once older than the configured days. Each statement changes at most `batchSize`
 * rows, in an atomic step of its own, so pruning never holds the database for long; a run stops after
 * `maxBatches` of them and the next run goes on. A message is redacted only once none of its
 * recipients is still waiting to be sent; numbers, statuses, costs and dates stay (billing, reports).
 */
export function createRetention(deps: { store: Store; clock: Clock; config: MifumoConfig['retention'] }) {
  const { store, clock, config } = deps;
  const { db } = store;
  const before = (days: number) => iso(clock.now() - days * DAY_MS);
  const limit = config.batchSize;

  const steps: { kind: keyof Pruned; run: () => Promise<number> }[] = [];
  const changed = (result: { numAffectedRows?: bigint } | undefined) => Number(result?.numAffectedRows ?? 0);

  if (config.messageBodyDays !== null) {
    const days = config.messageBodyDays;
    steps.push({
      kind: 'messageBodies',
      run: async () => {
        const ids = db
          .selectFrom('messages as m')
          .select('m.id')
          .where('m.created_at', '<', before(days))
          .where('m.body', '<>', REDACTED)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('recipients as r')
                  .select('r.id')
                  .whereRef('r.message_id', '=', 'm.id')
                  .where('r.status', 'in', ['queued', 'scheduled', 'sending']),
              ),
            ),
          )
          .limit(limit);
        const [result] = await store.atomic([
          db.updateTable('messages').set({ body: REDACTED }).where('id', 'in', ids).compile(),
        ]);
        return changed(result);
      },
    });
  }
  if (config.webhookEventDays !== null) {
    const days = config.webhookEventDays;
    steps.push({
      kind: 'webhookEvents',
      run: async () => {
        const ids = db
          .selectFrom('webhook_events')
          .select('id')
          .where('created_at', '<', before(days))
          .where('status', 'in', ['succeeded', 'failed'])
          .limit(limit);
        const [result] = await store.atomic([
          db.deleteFrom('webhook_events').where('id', 'in', ids).compile(),
        ]);
        return changed(result);
      },
    });
  }
  if (config.inboundDays !== null) {
    const days = config.inboundDays;
    steps.push({
      kind: 'inboundTexts',
      run: async () => {
        const ids = db
          .selectFrom('inbound_messages')
          .select('id')
          .where('received_at', '<', before(days))
          .where('body', '<>', REDACTED)
          .limit(limit);
        const [result] = await store.atomic([
          db.updateTable('inbound_messages').set({ body: REDACTED }).where('id', 'in', ids).compile(),
        ]);
        return changed(result);
      },
    });
  }
  steps.push({
    kind: 'dashboardSessions',
    run: async () => {
      const ids = db
        .selectFrom('dashboard_sessions')
        .select('id')
        .where('expires_at', '<', iso(clock.now()))
        .limit(limit);
      const [result] = await store.atomic([
        db.deleteFrom('dashboard_sessions').where('id', 'in', ids).compile(),
      ]);
      return changed(result);
    },
  });

  return {
    /** Prunes what is due, at most `maxBatches` statements of each kind; returns what it changed. */
    async pruneDue(maxBatches = 20): Promise<Pruned> {
      const pruned: Pruned = { messageBodies: 0, webhookEvents: 0, inboundTexts: 0, dashboardSessions: 0 };
      for (const step of steps)
        for (let batch = 0; batch < maxBatches; batch++) {
          const n = await step.run();
          pruned[step.kind] += n;
          if (n < limit) break;
        }
      return pruned;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;

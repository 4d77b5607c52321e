import type { Compilable } from 'kysely';
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
  const limit = config.batchSize;

  /** Runs one pruning statement in an atomic step of its own; how many rows it changed. */
  const rowsChanged = async (statement: Compilable) => {
    const [result] = await store.atomic([statement.compile()]);
    return Number(result?.numAffectedRows ?? 0);
  };

  /** Each kind: its age in days (null: kept), and one batch of it pruned, older than `cutoff`. */
  const kinds: { kind: keyof Pruned; days: number | null; batch: (cutoff: string) => Promise<number> }[] = [
    {
      kind: 'messageBodies',
      days: config.messageBodyDays,
      batch: (cutoff) =>
        rowsChanged(
          db
            .updateTable('messages')
            .set({ body: REDACTED })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('messages as m')
                .select('m.id')
                .where('m.created_at', '<', cutoff)
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
                .limit(limit),
            ),
        ),
    },
    {
      kind: 'webhookEvents',
      days: config.webhookEventDays,
      batch: (cutoff) =>
        rowsChanged(
          db
            .deleteFrom('webhook_events')
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('webhook_events as e')
                .select('e.id')
                .where('e.created_at', '<', cutoff)
                .where('e.status', 'in', ['succeeded', 'failed'])
                .limit(limit),
            ),
        ),
    },
    {
      kind: 'inboundTexts',
      days: config.inboundDays,
      batch: (cutoff) =>
        rowsChanged(
          db
            .updateTable('inbound_messages')
            .set({ body: REDACTED })
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('inbound_messages as i')
                .select('i.id')
                .where('i.received_at', '<', cutoff)
                .where('i.body', '<>', REDACTED)
                .limit(limit),
            ),
        ),
    },
    {
      kind: 'dashboardSessions',
      days: 0, // once expired
      batch: (cutoff) =>
        rowsChanged(
          db
            .deleteFrom('dashboard_sessions')
            .where('id', 'in', (eb) =>
              eb
                .selectFrom('dashboard_sessions as d')
                .select('d.id')
                .where('d.expires_at', '<', cutoff)
                .limit(limit),
            ),
        ),
    },
  ];

  return {
    /** Prunes what is due, at most `maxBatches` statements of each kind; returns what it changed. */
    async pruneDue(maxBatches = 20): Promise<Pruned> {
      const pruned: Pruned = { messageBodies: 0, webhookEvents: 0, inboundTexts: 0, dashboardSessions: 0 };
      for (const { kind, days, batch } of kinds) {
        if (days === null) continue;
        const cutoff = iso(clock.now() - days * DAY_MS);
        for (let run = 0; run < maxBatches; run++) {
          const n = await batch(cutoff);
          pruned[kind] += n;
          if (n < limit) break;
        }
      }
      return pruned;
    },
  };
}

export type Retention = ReturnType<typeof createRetention>;

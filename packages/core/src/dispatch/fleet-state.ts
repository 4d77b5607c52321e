import { sql } from 'kysely';
import { greatest, least } from '../storage/greatest';
import type { Store } from '../storage/store';
import { queryTemplate } from '../storage/template';

/** A stretch of a carrier's submit timeline that one claim took: from `start` until `end` (empty when equal). */
export interface Stretch {
  start: number;
  end: number;
}

/**
 * What the processes on one database share about each carrier, in `carrier_fleet_state`: the pace of
 * its submits as a timeline the processes take stretches of, and its circuit. As the rate limiter's
 * store keeps its GCRA state (ratelimit/kysely-store.ts), every step is one statement, no interactive
 * transaction, so it holds on SQLite, PostgreSQL and D1, across processes and isolates. Each runs as a
 * statement of its own (not in a group commit), so a carrier's row is locked only for the statement.
 */
export function createFleetState(store: Store) {
  const { db } = store;

  const claim = queryTemplate(['carrierId', 'earliest', 'length', 'latest', 'firstEnd'], (p) => {
    const start = greatest(sql.ref('carrier_fleet_state.next_slot_at'), p.earliest);
    // Every SET reads the row as it was, so `claimed_from` and `next_slot_at` describe this claim.
    return db
      .insertInto('carrier_fleet_state')
      .values({ carrier_id: p.carrierId, next_slot_at: p.firstEnd, claimed_from: p.earliest, open_until: 0 })
      .onConflict((oc) =>
        oc.column('carrier_id').doUpdateSet({
          claimed_from: start,
          next_slot_at: greatest(start, least(sql`${start} + ${p.length}`, p.latest)),
        }),
      )
      .returning(['claimed_from', 'next_slot_at']);
  });

  return {
    /**
     * Takes up to `length` ms of the carrier's submit timeline, starting where the last claim of any
     * process ended but not before `earliest`, and ending by `latest` at the latest (nothing when the
     * timeline is taken that far already). One statement.
     */
    async claim(carrierId: string, earliest: number, length: number, latest: number): Promise<Stretch> {
      const firstEnd = Math.max(earliest, Math.min(earliest + length, latest));
      const { rows } = await db.executeQuery(claim({ carrierId, earliest, length, latest, firstEnd }));
      const row = rows[0] as { claimed_from: number; next_slot_at: number };
      return { start: Number(row.claimed_from), end: Number(row.next_slot_at) };
    },

    /** Opens the carrier's circuit for every process until `until` (or later, if it is open longer already). */
    async openCircuit(carrierId: string, until: number) {
      await db
        .insertInto('carrier_fleet_state')
        .values({ carrier_id: carrierId, next_slot_at: 0, claimed_from: 0, open_until: until })
        .onConflict((oc) =>
          oc
            .column('carrier_id')
            .doUpdateSet({ open_until: greatest(sql.ref('carrier_fleet_state.open_until'), until) }),
        )
        .execute();
    },

    /**
     * Takes the one probe of a circuit that has cooled down (open until `now` or before): true for the
     * one process that gets it, which keeps the circuit open for the others until `until`.
     */
    async claimProbe(carrierId: string, now: number, until: number): Promise<boolean> {
      const rows = await db
        .updateTable('carrier_fleet_state')
        .set({ open_until: until })
        .where('carrier_id', '=', carrierId)
        .where('open_until', '>', 0)
        .where('open_until', '<=', now)
        .returning('carrier_id')
        .execute();
      return rows.length > 0;
    },

    /** Closes the circuit, unless it was opened again since it was open until `openUntil`. */
    async closeCircuit(carrierId: string, openUntil: number) {
      await db
        .updateTable('carrier_fleet_state')
        .set({ open_until: 0 })
        .where('carrier_id', '=', carrierId)
        .where('open_until', '=', openUntil)
        .execute();
    },

    /** Each open circuit (cooled down or not) with until when it is open. */
    async openCircuits(): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('carrier_fleet_state')
        .select(['carrier_id', 'open_until'])
        .where('open_until', '>', 0)
        .execute();
      return new Map(rows.map((r) => [r.carrier_id, Number(r.open_until)]));
    },
  };
}

export type FleetState = ReturnType<typeof createFleetState>;

import { type Kysely, sql } from 'kysely';
import type { CarrierView } from '../dispatch/carrier-states';
import type { Database } from '../storage/schema';
import type { Readiness } from './routes/health';

/** States in which a carrier takes submits. */
const TAKES_TRAFFIC = new Set(['bound', 'ready']);

/**
 * Whether the gateway can take traffic: its database answers and has every migration `expected`, and
 * at least one of its carriers is bound or ready.
 */
export async function readinessOf(
  db: Kysely<Database>,
  expected: readonly string[],
  carriers: () => Promise<CarrierView[]>,
): Promise<Readiness> {
  const reasons: string[] = [];
  const database = { reachable: false, migrations_applied: 0, migrations_expected: expected.length };
  try {
    const { rows } = await sql<{ name: string }>`select name from mifumo_migrations`.execute(db);
    database.reachable = true;
    const applied = new Set(rows.map((r) => r.name));
    database.migrations_applied = expected.filter((name) => applied.has(name)).length;
    if (database.migrations_applied < expected.length)
      reasons.push(
        `the database has ${database.migrations_applied} of ${expected.length} migrations applied`,
      );
  } catch (e) {
    reasons.push(`the database does not answer: ${e instanceof Error ? e.message : String(e)}`);
  }
  let views: Readiness['carriers'] = [];
  try {
    views = (await carriers()).map((c) => ({
      id: c.id,
      state: c.state,
      takes_traffic: TAKES_TRAFFIC.has(c.state),
    }));
  } catch (e) {
    // Their circuits are shared through the database: without it, their state is not known.
    reasons.push(`the carriers' state could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return { ready: false, reasons, database, carriers: views };
  }
  if (!views.some((c) => c.takes_traffic))
    reasons.push(
      views.length === 0
        ? 'no carrier is configured'
        : `no carrier can take traffic (${views.map((c) => `${c.id}: ${c.state}`).join(', ')})`,
    );
  return { ready: reasons.length === 0, reasons, database, carriers: views };
}

import type { CompiledQuery, PostgresPoolClient, QueryResult } from 'kysely';

/**
 * A pooled client as `pg` shapes it. `pipeline` is true when it writes a query without waiting for the
 * answer to the one before (`pg` ≥ 8.23 made with `{ pipeline: true }`).
 */
export type PipelineClient = PostgresPoolClient & { readonly pipeline?: boolean };

/** How one statement ended: its result, or the error PostgreSQL (or the connection) answered. */
export type Settled = { ok: QueryResult<unknown> } | { error: unknown };

const COUNTS_ROWS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** A `pg` result as Kysely's PostgreSQL connection returns it. */
function toResult(r: { command: string; rowCount: number | null; rows?: unknown[] }): QueryResult<unknown> {
  return {
    rows: r.rows ?? [],
    ...(COUNTS_ROWS.has(r.command) ? { numAffectedRows: BigInt(r.rowCount ?? 0) } : {}),
  };
}

/**
 * Runs `queries` on `client` in order and settles each. A pipelining client gets them all at once: one
 * round trip for the lot instead of one each. PostgreSQL runs them in order either way; inside a
 * transaction, after one fails the rest fail too (25P02) until the transaction ends, and a `commit`
 * then rolls it back.
 */
export async function settle(client: PipelineClient, queries: readonly CompiledQuery[]): Promise<Settled[]> {
  const run = (q: CompiledQuery): Promise<Settled> =>
    client.query(q.sql, q.parameters).then(
      (r) => ({ ok: toResult(r) }),
      (error: unknown) => ({ error }),
    );
  if (client.pipeline === true) return Promise.all(queries.map(run));
  const settled: Settled[] = [];
  for (const q of queries) settled.push(await run(q));
  return settled;
}

import type { CompiledQuery, QueryResult } from 'kysely';

/**
 * A pooled client as `pg` shapes it (only what is used). `pipeline` is true when it writes a query
 * without waiting for the answer to the one before (`pg` ≥ 8.23 made with `{ pipeline: true }`).
 */
export interface PipelineClient {
  readonly pipeline?: boolean;
  /** `pg`'s connection, whose socket can hold writes back (`cork`) and send them in one (`uncork`). */
  readonly connection?: { readonly stream?: { cork?(): void; uncork?(): void } };
  query(config: {
    text: string;
    values?: unknown[];
    name?: string;
  }): Promise<{ command: string; rowCount: number | null; rows?: unknown[] }>;
  release(destroy?: boolean): void;
}

/** How one statement ended: its result, or the error PostgreSQL (or the connection) answered. */
export type Settled = { ok: QueryResult<unknown> } | { error: unknown };

const COUNTS_ROWS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * Names for the statements run most, so that each connection parses and plans them once (a named
 * prepared statement) instead of at every run: the first `limit` distinct texts get one, in the order
 * they first run (the hot path's few dozen come first and stay); any later text runs unnamed.
 */
export function statementNames(limit: number) {
  const names = new Map<string, string | undefined>();
  return (text: string) => {
    let name = names.get(text);
    if (name === undefined && !names.has(text)) {
      name = names.size < limit ? `mifumo_${names.size}` : undefined;
      names.set(text, name);
    }
    return name;
  };
}

/**
 * Runs `queries` on `client` in order and settles each. A pipelining client gets them all at once: one
 * round trip for the lot instead of one each. PostgreSQL runs them in order either way; inside a
 * transaction, after one fails the rest fail too (25P02) until the transaction ends, and a `commit`
 * then rolls it back. `nameOf` names statements to prepare (control statements have no parameters and
 * are never named).
 */
export async function settle(
  client: PipelineClient,
  queries: readonly CompiledQuery[],
  nameOf: (text: string) => string | undefined = () => undefined,
): Promise<Settled[]> {
  const run = (q: CompiledQuery): Promise<Settled> =>
    client
      .query(
        q.parameters.length === 0
          ? { text: q.sql }
          : { text: q.sql, values: [...q.parameters], name: nameOf(q.sql) },
      )
      .then(
        (r) => ({
          ok: {
            rows: r.rows ?? [],
            ...(COUNTS_ROWS.has(r.command) ? { numAffectedRows: BigInt(r.rowCount ?? 0) } : {}),
          },
        }),
        (error: unknown) => ({ error }),
      );
  if (client.pipeline === true) {
    // `pg` writes each query as it is given: corked, the lot leaves in one write instead of one each
    // (a system call and a wake-up of the server per statement were a quarter of a loaded process's CPU).
    const socket = client.connection?.stream;
    socket?.cork?.();
    try {
      return Promise.all(queries.map(run));
    } finally {
      socket?.uncork?.();
    }
  }
  const settled: Settled[] = [];
  for (const q of queries) settled.push(await run(q));
  return settled;
}

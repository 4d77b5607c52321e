import { CompiledQuery, type QueryResult } from 'kysely';
import type { AtomicExecutor, BatchOutcome } from './driver';
import { type PipelineClient, type Settled, settle } from './postgres-pipeline';

/** Writes statements to the group's connection and settles each (`settle` on that client). */
type Send = (queries: readonly CompiledQuery[]) => Promise<Settled[]>;

interface Pending {
  queries: readonly CompiledQuery[];
  resolve(results: QueryResult<unknown>[]): void;
  reject(error: unknown): void;
}

const BEGIN = CompiledQuery.raw('begin');
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');
const SAVEPOINT = CompiledQuery.raw('savepoint batch');
const RELEASE = CompiledQuery.raw('release savepoint batch');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint batch');

/** Serialization failures and deadlocks: PostgreSQL gave up the transaction, not a batch's statement. */
const RETRYABLE = new Set(['40001', '40P01']);
const retryable = (error: unknown) => RETRYABLE.has((error as { code?: string } | null)?.code ?? '');
/** Runs of a group that lost a deadlock or a serialization race, before each batch runs alone. */
const MAX_RUNS = 3;

const failureOf = (settled: readonly Settled[]) =>
  settled.find((s) => 'error' in s) as { error: unknown } | undefined;
const results = (settled: readonly Settled[]) => settled.map((s) => (s as { ok: QueryResult<unknown> }).ok);
/** `settled` cut into consecutive runs of `sizes` (each batch's own statements). */
function perBatch(settled: readonly Settled[], sizes: readonly number[]): Settled[][] {
  let at = 0;
  return sizes.map((n) => {
    at += n;
    return settled.slice(at - n, at);
  });
}

/**
 * The group, optimistically: `begin`, every batch's statements and `commit`, in one round trip on a
 * pipelining client. Null when one of several batches failed (the commit then rolled them all back);
 * a deadlock or serialization failure is thrown.
 */
async function optimistic(send: Send, group: readonly Pending[]): Promise<BatchOutcome[] | null> {
  const alone = group.length === 1 && group[0]!.queries.length === 1; // autocommits by itself
  const statements = alone ? group[0]!.queries : [BEGIN, ...group.flatMap((b) => b.queries), COMMIT];
  const settled = await send(statements);
  const failure = failureOf(settled);
  if (failure && retryable(failure.error)) throw failure.error;
  if (failure) return group.length === 1 ? [{ error: failure.error }] : null;
  const own = perBatch(
    settled.slice(alone ? 0 : 1),
    group.map((b) => b.queries.length),
  );
  return own.map((statements) => ({ ok: results(statements) }));
}

/**
 * The group again, each batch in a savepoint, so the one that fails is rolled back alone and answered
 * with its error. The batches after it were refused unrun (the transaction was aborted): they go again
 * after `rollback to savepoint`, in the same transaction, one round trip per failed batch, and one for
 * the commit.
 */
async function careful(send: Send, group: readonly Pending[]): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  let head = [BEGIN];
  for (let from = 0; from <= group.length; ) {
    const rest = group.slice(from);
    const settled = await send([...head, ...rest.flatMap((b) => [SAVEPOINT, ...b.queries, RELEASE])]);
    const headFailure = failureOf(settled.slice(0, head.length));
    if (headFailure) throw headFailure.error;
    const own = perBatch(
      settled.slice(head.length),
      rest.map((b) => b.queries.length + 2),
    );
    let next = group.length + 1; // past the end: every batch ran
    for (const [i, statements] of own.entries()) {
      const failure = failureOf(statements);
      if (failure && retryable(failure.error)) throw failure.error;
      outcomes[from + i] = failure ? { error: failure.error } : { ok: results(statements.slice(1, -1)) };
      if (failure) {
        next = from + i + 1;
        break;
      }
    }
    from = next;
    head = [ROLLBACK_TO, RELEASE];
  }
  const commit = failureOf(await send([COMMIT]));
  if (commit) throw commit.error;
  return outcomes;
}

/**
 * Group commit for PostgreSQL through a pool as `pg` shapes it. Atomic batches that arrive while a group
 * is being committed wait, then commit together: one transaction, one flush to disk, and on a pipelining
 * client one round trip (every statement is written at once, with `begin` before and `commit` after).
 * Without it every send of an account waited for the previous one's flush on the rows they share (its
 * balance, its rate limits), and then for each of its statements' round trips in turn.
 *
 * A batch that fails (a debit past zero, a limit refused, a duplicate) is answered with its error and
 * the others still commit (`careful`). A group that loses a deadlock or a serialization race to
 * another process is run again (PostgreSQL rolled it all back), and after `MAX_RUNS` each batch runs
 * alone, so one batch's conflict is not every batch's.
 */
export function postgresGroupCommit(
  pool: { connect(): Promise<PipelineClient> },
  nameOf: (text: string) => string | undefined,
): AtomicExecutor {
  let queue: Pending[] = [];
  let committing = false;

  async function onClient(group: readonly Pending[]): Promise<BatchOutcome[]> {
    const client = await pool.connect();
    const send: Send = (queries) => settle(client, queries, nameOf);
    try {
      const outcomes = (await optimistic(send, group)) ?? (await careful(send, group));
      client.release();
      return outcomes;
    } catch (error) {
      // Still in the failed transaction, or the connection is gone: end it, or discard the client.
      const [rolledBack] = await send([ROLLBACK]);
      client.release(!rolledBack || 'error' in rolledBack);
      throw error;
    }
  }

  async function commit(group: readonly Pending[]): Promise<void> {
    for (let run = 1; ; run++) {
      let outcomes: BatchOutcome[];
      try {
        outcomes = await onClient(group);
      } catch (error) {
        if (retryable(error) && run < MAX_RUNS) continue;
        if (group.length > 1) await Promise.all(group.map((item) => commit([item])));
        else group[0]!.reject(error);
        return;
      }
      group.forEach((item, i) => {
        const o = outcomes[i]!;
        if ('ok' in o) item.resolve(o.ok);
        else item.reject(o.error);
      });
      return;
    }
  }

  async function drain() {
    committing = true;
    while (queue.length) {
      const group = queue;
      queue = [];
      await commit(group);
    }
    committing = false;
  }

  return (queries) =>
    new Promise((resolve, reject) => {
      queue.push({ queries, resolve, reject });
      if (!committing) void drain();
    });
}

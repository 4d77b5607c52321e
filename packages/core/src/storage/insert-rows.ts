import type {
  CompiledQuery,
  Insertable,
  Kysely,
  OnConflictBuilder,
  OnConflictDoNothingBuilder,
  OnConflictUpdateBuilder,
} from 'kysely';
import type { Database } from './schema';
import { chunkRows } from './store';
import { queryTemplate } from './template';

/** Row counts up to this reuse a compiled statement; larger inserts are rare and compiled each time. */
const CACHED_ROW_COUNTS = 16;

/**
 * Multi-row inserts into `table`, split so no statement binds more than `maxBindParams` values.
 * Small row counts (the common case: a send to a few recipients) reuse one compiled statement per count.
 */
export function createRowInserter<T extends keyof Database>(
  db: Kysely<Database>,
  table: T,
  columns: readonly (keyof Insertable<Database[T]> & string)[],
  maxBindParams: number,
  /** What a row whose key exists already does instead of failing the statement (skip it, update the old one). */
  onConflict?: (
    oc: OnConflictBuilder<Database, T>,
  ) => OnConflictDoNothingBuilder<Database, T> | OnConflictUpdateBuilder<Database, T>,
) {
  const insert = (rows: Insertable<Database[T]>[]) => {
    const q = db.insertInto(table).values(rows);
    return onConflict ? q.onConflict(onConflict) : q;
  };
  const templates = new Map<number, (values: Record<string, unknown>) => CompiledQuery>();
  const key = (i: number, c: string) => `${i}.${c}`;

  function template(n: number) {
    let t = templates.get(n);
    if (!t) {
      const keys = Array.from({ length: n }, (_, i) => columns.map((c) => key(i, c))).flat();
      t = queryTemplate(keys, (p) =>
        insert(
          Array.from({ length: n }, (_, i) =>
            Object.fromEntries(columns.map((c) => [c, p[key(i, c)]])),
          ) as Insertable<Database[T]>[],
        ),
      );
      templates.set(n, t);
    }
    return t;
  }

  return (rows: readonly Insertable<Database[T]>[]): CompiledQuery[] =>
    chunkRows(rows, maxBindParams).map((chunk) => {
      if (chunk.length > CACHED_ROW_COUNTS) return insert(chunk).compile();
      const values: Record<string, unknown> = {};
      chunk.forEach((row, i) => {
        for (const c of columns) values[key(i, c)] = (row as Record<string, unknown>)[c];
      });
      return template(chunk.length)(values);
    });
}

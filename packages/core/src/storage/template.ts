import type { CompiledQuery } from 'kysely';

const SENTINEL = '\u0000mifumo-param:';

type Slot<K> = { key: K } | { constant: unknown };

/**
 * A query built and compiled by Kysely once, then reused with new values: for the statements on the
 * hot path, where building the operation tree and compiling it again each time would cost more than
 * running the statement. `build` receives a placeholder for each key; every other parameter it uses
 * stays a constant.
 */
export function queryTemplate<K extends string>(
  keys: readonly K[],
  // biome-ignore lint/suspicious/noExplicitAny: placeholders stand in for values of any column type
  build: (p: Record<K, any>) => { compile(): CompiledQuery },
): (values: Record<K, unknown>) => CompiledQuery {
  let compiled: { base: CompiledQuery; slots: Slot<K>[] } | null = null;
  return (values) => {
    if (compiled === null) {
      const placeholders = Object.fromEntries(keys.map((k) => [k, SENTINEL + k])) as Record<K, string>;
      const base = build(placeholders).compile();
      const slots = base.parameters.map((p): Slot<K> => {
        if (typeof p === 'string' && p.startsWith(SENTINEL)) return { key: p.slice(SENTINEL.length) as K };
        return { constant: p };
      });
      compiled = { base, slots };
    }
    const parameters = compiled.slots.map((s) => ('key' in s ? values[s.key] : s.constant));
    return { ...compiled.base, parameters };
  };
}

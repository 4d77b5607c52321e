import type { z } from 'zod';

/**
 * Each problem zod found as `{ field, message }`, the field a dotted path (prefixed with `at`; `whole`
 * for a problem with the value as a whole); an unknown key is named itself (`{ field: 'colour',
 * message: 'unknown field' }`), not its parent.
 */
export function issueFields(
  error: z.ZodError,
  at: readonly PropertyKey[] = [],
  whole = '',
): { field: string; message: string }[] {
  return error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...at, ...i.path, k].map(String).join('.'), message: 'unknown field' }))
      : [{ field: [...at, ...i.path].map(String).join('.') || whole, message: i.message }],
  );
}

import { sql } from 'kysely';

// PostgreSQL's GREATEST and LEAST for two numbers, written so every engine runs them: SQLite has
// neither (its two-argument MAX and MIN are not PostgreSQL's, and PostgreSQL has no two-argument MAX).

/** The greater of `a` and `b` (columns, parameters or expressions). */
export const greatest = (a: unknown, b: unknown) =>
  sql<number>`(CASE WHEN ${a} > ${b} THEN ${a} ELSE ${b} END)`;

/** The lesser of `a` and `b`. */
export const least = (a: unknown, b: unknown) => sql<number>`(CASE WHEN ${a} < ${b} THEN ${a} ELSE ${b} END)`;

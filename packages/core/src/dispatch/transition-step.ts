import type { CompiledQuery } from 'kysely';

/** Why a recipient failed, was retried or expired, as it is recorded. */
export interface DeliveryError {
  code: string;
  message: string;
}

/** Statements a caller adds to a transition's atomic step (a held report's removal). */
export type Also = readonly CompiledQuery[];

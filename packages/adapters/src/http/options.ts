import { z } from 'zod';

/** The secret an aggregator's callbacks carry: all that guards the callback URL. */
export const callbackToken = z.string().min(16, 'at least 16 characters: it is all that guards the callback');

/** Configuration fields every HTTP aggregator takes. */
export const aggregatorFields = {
  id: z.string().min(1),
  /** Where its API is, for a sandbox or a test server; its public API otherwise. */
  baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  callbackToken: callbackToken.optional(),
  timeoutMs: z.number().int().positive().optional(),
  submitsPerSecond: z.number().positive().optional(),
};

import { z } from 'zod';
import type { ConsentSource } from '../../storage/schema';

/** Longest `reason` and `evidence` kept, in characters. */
export const MAX_REASON_LENGTH = 500;
export const MAX_EVIDENCE_LENGTH = 1000;

/** An opt-out as a request gives it (the API's body, an imported row). */
export const optOutSchema = z.strictObject({
  phone_number: z
    .string()
    .max(50)
    .meta({ examples: ['+255754000111', '0754000111'] })
    .describe('The number to leave out: E.164, or national in the default region'),
  reason: z
    .string()
    .trim()
    .max(MAX_REASON_LENGTH)
    .nullish()
    .transform((v) => (v ? v : undefined))
    .describe('Why, as the subscriber or the operator said it; null or empty for none'),
});

export type OptOutInput = z.output<typeof optOutSchema>;

/** What an opt-in must carry: how the subscriber agreed again. */
export const optInSchema = z.strictObject({
  evidence: z
    .string()
    .trim()
    .min(1, 'evidence must not be empty')
    .max(MAX_EVIDENCE_LENGTH)
    .describe('How the subscriber agreed again (a signed form, a recorded call, …); kept in the history'),
});

/** Where an opt-out came from, and why. */
export interface OptOutOrigin {
  source: ConsentSource;
  reason?: string | undefined;
  /** The inbound message (a STOP keyword) it came from. */
  inboundId?: string | undefined;
  /** The API key that asked for it. */
  apiKeyId?: string | undefined;
  /** What the carrier said, or other proof. */
  evidence?: string | undefined;
}

/** Where an opt-in came from, and what shows the subscriber agreed again. */
export interface OptInOrigin {
  source: ConsentSource;
  evidence: string;
  reason?: string | undefined;
  inboundId?: string | undefined;
  apiKeyId?: string | undefined;
}

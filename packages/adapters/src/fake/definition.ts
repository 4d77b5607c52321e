import { createFakeCarrier, NATIONAL_LANGUAGES } from '@mifumo/core';
import { z } from 'zod';
import { defineCarrier } from '../build/definition';

/** `{ "id": "dev", "type": "fake", "deliveryDelayMs": 200, "failureRate": 0, "submitDelayMs": 0 }` */
export const fakeCarrier = defineCarrier({
  type: 'fake',
  options: z.strictObject({
    id: z.string().min(1),
    type: z.literal('fake'),
    deliveryDelayMs: z.number().int().nonnegative().optional(),
    failureRate: z.number().min(0).max(1).optional(),
    submitDelayMs: z.number().int().nonnegative().optional(),
    nationalLanguages: z.array(z.enum(NATIONAL_LANGUAGES)).optional(),
  }),
  create: ({ type: _, ...options }) => createFakeCarrier(options),
});

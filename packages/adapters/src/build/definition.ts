import type { CarrierAdapter } from '@mifumo/core';
import type { z } from 'zod';

/**
 * An adapter type as configuration knows it: its `type` name, the zod schema of its config entry
 * (`id` and `type` included) and how to make the adapter. A runtime lists the definitions it can run.
 */
export interface CarrierDefinition<S extends z.ZodType = z.ZodType> {
  type: string;
  options: S;
  create(options: z.output<S>): CarrierAdapter;
}

/** Keeps the schema's output type tied to `create`'s parameter. */
export const defineCarrier = <S extends z.ZodType>(definition: CarrierDefinition<S>): CarrierDefinition<S> =>
  definition;

import { z } from 'zod';

/**
 * Schema pieces that carry their description, for the schemas of what the gateway answers (each
 * response's `data`, each error's `details`, webhook bodies): the OpenAPI document and the
 * documentation page show every field with one.
 */

/** A string, described. */
export const text = (description: string) => z.string().meta({ description });

/** A whole number, described. */
export const count = (description: string) => z.number().int().meta({ description });

/** A phone number the gateway has normalised: always E.164 (`format: e164`), described. */
export const e164 = (description: string) => z.string().meta({ format: 'e164', description });

import { createFakeCarrier } from '@mifumo/adapters/fake';
import { type CarrierAdapter, type MifumoConfig, NATIONAL_LANGUAGES } from '@mifumo/core';
import { z } from 'zod';
import { SettingsError } from './settings';

const fakeOptions = z.object({
  id: z.string(),
  type: z.literal('fake'),
  deliveryDelayMs: z.number().int().nonnegative().optional(),
  failureRate: z.number().min(0).max(1).optional(),
  submitDelayMs: z.number().int().nonnegative().optional(),
  nationalLanguages: z.array(z.enum(NATIONAL_LANGUAGES)).optional(),
});

/** Adapter factories by `type`: each validates its own fields. */
const factories: Record<string, (entry: unknown) => CarrierAdapter> = {
  fake: (entry) => createFakeCarrier(fakeOptions.parse(entry)),
};

/** Builds the configured carriers; an unknown type or a bad field names `carriers.N.field`. */
export function buildCarriers(config: MifumoConfig): CarrierAdapter[] {
  return config.carriers.map((entry, i) => {
    const factory = factories[entry.type];
    if (!factory)
      throw new SettingsError(
        `carriers.${i}.type: unknown carrier type ${JSON.stringify(entry.type)} (available: ${Object.keys(factories).join(', ')})`,
      );
    try {
      return factory(entry);
    } catch (e) {
      if (e instanceof z.ZodError)
        throw new SettingsError(
          e.issues.map((x) => `carriers.${i}.${x.path.join('.')}: ${x.message}`).join('\n'),
        );
      throw e;
    }
  });
}

import { type CarrierAdapter, describeConfigIssues } from '@mifumo/core';
import type { CarrierDefinition } from './definition';

/** A carrier entry of the configuration that cannot be built; `problems` name `carriers.N.field`. */
export class CarrierConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'CarrierConfigError';
    this.problems = problems;
  }
}

/**
 * Builds the configured carriers from the definitions this runtime supports. Every entry is checked
 * before any adapter is made; an unknown type or a bad field names `carriers.N.field`.
 */
export function buildCarriers(
  entries: readonly { id: string; type: string }[],
  definitions: readonly CarrierDefinition[],
): CarrierAdapter[] {
  const byType = new Map(definitions.map((d) => [d.type, d]));
  const problems: string[] = [];
  const parsed = entries.map((entry, i) => {
    const definition = byType.get(entry.type);
    if (!definition) {
      problems.push(
        `carriers.${i}.type: unknown carrier type ${JSON.stringify(entry.type)} (available: ${[...byType.keys()].join(', ')})`,
      );
      return null;
    }
    const result = definition.options.safeParse(entry);
    if (!result.success) {
      problems.push(...describeConfigIssues(result.error, ['carriers', i]));
      return null;
    }
    return { definition, options: result.data };
  });
  if (problems.length) throw new CarrierConfigError(problems);
  return parsed.map((p) => p!.definition.create(p!.options));
}

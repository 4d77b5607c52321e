import { zValidator } from '@hono/zod-validator';
import type { MiddlewareHandler, ValidationTargets } from 'hono';
import type { z } from 'zod';
import { GatewayError } from '../errors';
import type { GatewayEnv } from './env';

type Validated<T extends z.ZodType, Target extends keyof ValidationTargets> = {
  in: { [K in Target]: z.input<T> };
  out: { [K in Target]: z.output<T> };
};

/** zod validation whose failure is a VALIDATION_ERROR naming each bad field. */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
): MiddlewareHandler<GatewayEnv, string, Validated<T, Target>> {
  return zValidator(target, schema, (result) => {
    if (!result.success)
      throw new GatewayError(
        'VALIDATION_ERROR',
        `Invalid ${target === 'json' ? 'request body' : target}`,
        result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      );
  }) as unknown as MiddlewareHandler<GatewayEnv, string, Validated<T, Target>>;
}

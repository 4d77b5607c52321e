import { Hono } from 'hono';
import { z } from 'zod';
import { timingSafeEqual } from '../../auth/api-key';
import { GatewayError } from '../../errors';
import { parseCommandLine } from '../../operator/command-line';
import { runCommand } from '../../operator/commands';
import { UsageError } from '../../operator/commands/values';
import { sha256Hex } from '../../sha256';
import type { GatewayEnv, RouteMiddleware } from '../env';
import { ok } from '../envelope';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import type { Services } from '../services';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

export const operatorCommandSchema = z.strictObject({
  argv: z
    .array(z.string().max(4096))
    .min(2)
    .max(64)
    .describe(
      'A `mifumo` command line, as words: `["numbers", "add", "--account", "acc_…", "--number", "15678"]`',
    ),
});
const commandBody = jsonBody(operatorCommandSchema);

/** The operator's key as Bearer; a wrong one counts against the address like a wrong API key. */
function requireOperator(s: Services): RouteMiddleware {
  return async function requireOperatorMiddleware(c, next) {
    const expected = await s.operator.keyHash;
    if (expected === null)
      throw new GatewayError(
        'NOT_FOUND',
        'Operator commands are off on this gateway: start it with an operator key (MIFUMO_OPERATOR_KEY) to use them',
      );
    const given = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(await sha256Hex(given), expected)) {
      await s.limiter.authFailure(s.clientAddress(c));
      throw new GatewayError('INVALID_CREDENTIALS', 'Invalid operator key', {
        hint: 'Send the operator key (MIFUMO_OPERATOR_KEY) as Authorization: Bearer <key>; API keys, admin ones too, are not operator keys',
      });
    }
    await next();
  };
}

/**
 * The `mifumo` commands over HTTP, for the gateway's operator (accounts, keys, sender IDs, numbers,
 * inbound, webhooks, compliance): how a Worker, which has no shell beside its database, is operated.
 * `mifumo --remote <url> …` sends them here.
 */
export function operatorRoutes(s: Services) {
  return new Hono<GatewayEnv>().on(
    'POST',
    ...route('/operator/commands', requireOperator(s), commandBody, async (c) => {
      try {
        const parsed = parseCommandLine(c.req.valid('json').argv);
        if (parsed.values.remote !== undefined || parsed.values.help)
          throw new UsageError('--remote and --help are for the mifumo CLI; send the command itself');
        const outcome = await runCommand(s.operator.admin, parsed, s.config);
        return ok(c, 'Command done', { result: outcome.data, lines: outcome.lines });
      } catch (e) {
        if (e instanceof UsageError)
          throw new GatewayError('VALIDATION_ERROR', e.message, [{ field: 'argv', message: e.message }]);
        throw e;
      }
    }),
  );
}

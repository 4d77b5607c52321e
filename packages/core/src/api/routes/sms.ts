import { Hono } from 'hono';
import { createFactory } from 'hono/factory';
import { GatewayError } from '../../errors';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { withSlash } from '../routes';
import { reportsQuery, sendSchema } from '../schemas';
import type { Services } from '../services';
import { validate } from '../validate';

const f = createFactory<GatewayEnv>();
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

export function smsRoutes(s: Services) {
  const send = f.createHandlers(
    requireKey(s, 'write'),
    jsonBody(),
    validate('json', sendSchema),
    async (c) => {
      const key = c.req.header('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.test(key))
        throw new GatewayError(
          'VALIDATION_ERROR',
          'Idempotency-Key must be 1 to 255 visible ASCII characters',
          {
            field: 'Idempotency-Key',
          },
        );
      const result = await s.sender.send(c.get('principal'), c.req.valid('json'), c.get('usage'), key);
      return ok(
        c,
        result.status === 'scheduled' ? 'SMS scheduled successfully' : 'SMS sent successfully',
        result,
      );
    },
  );

  const quote = f.createHandlers(
    requireKey(s, 'read'),
    jsonBody(),
    validate('json', sendSchema),
    async (c) => {
      const principal = c.get('principal');
      const account = await s.admin.getAccount(principal.accountId);
      const result = await s.sender.quote(principal, c.req.valid('json'), account.balance);
      return ok(c, 'Quote calculated successfully; nothing was sent or charged', result);
    },
  );

  const status = f.createHandlers(requireKey(s, 'read'), async (c) => {
    const data = await s.messages.status(c.get('principal').accountId, c.req.param('message_id')!);
    return ok(c, 'Message status retrieved successfully', data);
  });

  const reports = f.createHandlers(requireKey(s, 'read'), validate('query', reportsQuery), async (c) => {
    const data = await s.messages.deliveryReports(c.get('principal').accountId, c.req.valid('query'));
    return ok(c, 'Delivery reports retrieved successfully', data);
  });

  const balance = f.createHandlers(requireKey(s, 'read'), async (c) => {
    const account = await s.admin.getAccount(c.get('principal').accountId);
    return ok(c, 'Balance retrieved successfully', {
      balance: account.balance,
      currency: account.currency,
      last_updated: account.updated_at,
    });
  });

  const [sendPath, sendSlash] = withSlash('/v1/sms/send');
  const [quotePath, quoteSlash] = withSlash('/v1/sms/quote');
  const [statusPath, statusSlash] = withSlash('/v1/sms/status/:message_id');
  const [reportsPath, reportsSlash] = withSlash('/v1/sms/delivery-reports');
  const [balancePath, balanceSlash] = withSlash('/v1/sms/balance');
  return new Hono<GatewayEnv>()
    .post(sendPath, ...send)
    .post(sendSlash, ...send)
    .post(quotePath, ...quote)
    .post(quoteSlash, ...quote)
    .get(statusPath, ...status)
    .get(statusSlash, ...status)
    .get(reportsPath, ...reports)
    .get(reportsSlash, ...reports)
    .get(balancePath, ...balance)
    .get(balanceSlash, ...balance);
}

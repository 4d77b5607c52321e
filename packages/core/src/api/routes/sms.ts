import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { idempotencyKeyOf } from '../idempotency-key';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { inboundQuery, messagesQuery, reportsQuery, sendSchema } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const sendBody = jsonBody(sendSchema);
const reportsParams = validQuery(reportsQuery);
const messagesParams = validQuery(messagesQuery);
const inboundParams = validQuery(inboundQuery);

export function smsRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'POST',
      ...route('/v1/sms/send', requireKey(s, 'write', { countWithWrite: true }), sendBody, async (c) => {
        const result = await s.sender.send(c.get('principal'), c.req.valid('json'), {
          usage: c.get('usage'),
          idempotencyKey: idempotencyKeyOf(c),
          apiCall: c.get('apiCall'),
        });
        return ok(
          c,
          result.status === 'scheduled' ? 'SMS scheduled successfully' : 'SMS sent successfully',
          result,
        );
      }),
    )
    .on(
      'POST',
      ...route('/v1/sms/quote', requireKey(s, 'read'), sendBody, async (c) => {
        const principal = c.get('principal');
        const account = await s.admin.getAccount(principal.accountId);
        const result = await s.sender.quote(principal, c.req.valid('json'), account.balance);
        return ok(c, 'Quote calculated successfully; nothing was sent or charged', result);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/status/:message_id', requireKey(s, 'read'), async (c) => {
        const data = await s.messages.status(c.get('principal').accountId, c.req.param('message_id'));
        return ok(c, 'Message status retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/delivery-reports', requireKey(s, 'read'), reportsParams, async (c) => {
        const data = await s.messages.deliveryReports(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Delivery reports retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/messages', requireKey(s, 'read'), messagesParams, async (c) => {
        const data = await s.messages.list(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Messages retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/inbound', requireKey(s, 'read'), inboundParams, async (c) => {
        const data = await s.inbound.list(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Inbound messages retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/inbound/:inbound_id', requireKey(s, 'read'), async (c) => {
        const data = await s.inbound.get(c.get('principal').accountId, c.req.param('inbound_id'));
        return ok(c, 'Inbound message retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/sms/balance', requireKey(s, 'read'), async (c) => {
        const account = await s.admin.getAccount(c.get('principal').accountId);
        return ok(c, 'Balance retrieved successfully', {
          balance: account.balance,
          currency: account.currency,
          last_updated: account.updated_at,
        });
      }),
    );
}

import { Hono } from 'hono';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { deliveriesQuery, rotateSecretSchema, webhookSettingsSchema } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const settingsBody = jsonBody(webhookSettingsSchema);
const rotateBody = jsonBody(rotateSecretSchema, { optional: true });
const deliveriesParams = validQuery(deliveriesQuery);

/** The account's webhook settings and deliveries: admin keys only. */
export function webhookRoutes(s: Services) {
  const admin = requireKey(s, 'admin');
  return new Hono<GatewayEnv>()
    .on(
      'GET',
      ...route('/v1/webhooks', admin, async (c) => {
        const data = await s.webhooks.settings.get(c.get('principal').accountId);
        return ok(c, 'Webhook settings retrieved successfully', data);
      }),
    )
    .on(
      'PUT',
      ...route('/v1/webhooks', admin, settingsBody, async (c) => {
        const data = await s.actions.updateWebhook(c.get('principal'), c.req.valid('json'));
        return ok(c, 'Webhook settings updated', data);
      }),
    )
    .on(
      'POST',
      ...route('/v1/webhooks/rotate-secret', admin, rotateBody, async (c) => {
        const { grace_period_seconds } = c.req.valid('json');
        const data = await s.actions.rotateWebhookSecret(c.get('principal'), grace_period_seconds);
        return ok(
          c,
          'Signing secret rotated; the previous one signs too until previous_secret_valid_until',
          data,
        );
      }),
    )
    .on(
      'GET',
      ...route('/v1/webhooks/deliveries', admin, deliveriesParams, async (c) => {
        const data = await s.webhooks.deliveries.list(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Webhook deliveries retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/webhooks/deliveries/:delivery_id', admin, async (c) => {
        const data = await s.webhooks.deliveries.get(
          c.get('principal').accountId,
          c.req.param('delivery_id'),
        );
        return ok(c, 'Webhook delivery retrieved successfully', data);
      }),
    )
    .on(
      'POST',
      ...route('/v1/webhooks/deliveries/:delivery_id/resend', admin, async (c) => {
        const data = await s.actions.resendWebhook(c.get('principal'), c.req.param('delivery_id'));
        return ok(c, 'Webhook delivery queued to be sent again', data);
      }),
    );
}

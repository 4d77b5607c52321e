import { Hono } from 'hono';
import type { z } from 'zod';
import type { CampaignInput } from '../../services/campaigns/campaigns';
import type { GatewayEnv } from '../env';
import { ok } from '../envelope';
import { idempotencyKeyOf } from '../idempotency-key';
import { requireKey } from '../middleware/auth';
import { jsonBody } from '../middleware/json-body';
import { route } from '../routes';
import { campaignSchema, campaignsQuery } from '../schemas';
import type { Services } from '../services';
import { validQuery } from '../validate';

const campaignBody = jsonBody(campaignSchema);
const campaignsParams = validQuery(campaignsQuery);

/** The schema guarantees one audience; this narrows its type to the service's union. */
const asInput = (body: z.output<typeof campaignSchema>) => body as CampaignInput;

/** Campaigns: one template to an audience, charged whole at acceptance; quoted, listed, cancelled. */
export function campaignRoutes(s: Services) {
  return new Hono<GatewayEnv>()
    .on(
      'POST',
      ...route('/v1/campaigns', requireKey(s, 'write'), campaignBody, async (c) => {
        const data = await s.campaigns.create(c.get('principal'), asInput(c.req.valid('json')), {
          idempotencyKey: idempotencyKeyOf(c),
        });
        return ok(c, 'Campaign accepted', data, 201);
      }),
    )
    .on(
      'POST',
      ...route('/v1/campaigns/quote', requireKey(s, 'read'), campaignBody, async (c) => {
        const principal = c.get('principal');
        const account = await s.admin.getAccount(principal.accountId);
        const data = await s.campaigns.quote(principal, asInput(c.req.valid('json')), account.balance);
        return ok(c, 'Campaign quoted', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/campaigns', requireKey(s, 'read'), campaignsParams, async (c) => {
        const data = await s.campaigns.list(c.get('principal').accountId, c.req.valid('query'));
        return ok(c, 'Campaigns retrieved successfully', data);
      }),
    )
    .on(
      'GET',
      ...route('/v1/campaigns/:campaign_id', requireKey(s, 'read'), async (c) => {
        const data = await s.campaigns.get(c.get('principal').accountId, c.req.param('campaign_id'));
        return ok(c, 'Campaign retrieved successfully', data);
      }),
    )
    .on(
      'POST',
      ...route('/v1/campaigns/:campaign_id/cancel', requireKey(s, 'write'), async (c) => {
        const data = await s.actions.cancelCampaign(c.get('principal'), c.req.param('campaign_id'));
        return ok(c, 'Campaign cancelled', data);
      }),
    );
}

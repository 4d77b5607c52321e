/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { randomToken } from '../../ids';
import type { CampaignInput } from '../../services/campaigns/campaigns';
import { stateFor } from '../fields';
import { forms, parseForm } from '../forms';
import { CampaignPage } from '../pages/campaign';
import { NewCampaignPage, type NewCampaignProps } from '../pages/campaign-new';
import { CampaignsPage } from '../pages/campaigns';
import * as dash from './context';

/** Contacts offered to tick on the form (the newest; more go through a segment). */
const CONTACTS_OFFERED = 100;

/**
 * A campaign's form read as the API reads a campaign: the audience it chose (a segment, or the ticked
 * contacts), and the key of a confirmation.
 */
function campaignForm(values: unknown) {
  const { audience, segment_id, contact_ids, idempotency_key, ...rest } = parseForm(forms.campaign, values);
  const chosen =
    audience === 'segment' ? { segment_id } : { contact_ids: contact_ids.length ? contact_ids : undefined };
  return {
    input: parseForm(forms.newCampaign, { ...rest, ...chosen }) as CampaignInput,
    idempotencyKey: idempotency_key,
  };
}

/** Campaigns: list them with their progress, create one from its quote, follow one, cancel it. */
export function campaignsRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();

  app.on('GET', dash.both('/dashboard/campaigns'), ...counted, async (c) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const list = await s.campaigns.list(dash.accountOf(c), { page, per_page: 20 });
    return dash.html(
      c,
      <CampaignsPage ctx={dash.pageContext(c)} list={list} notice={dash.listing(c).notice} />,
    );
  });

  const newAction = (c: dash.Ctx) => `${dash.rootOf(c)}/campaigns/new`;
  const newPage = async (
    c: dash.Ctx,
    extra: Partial<Omit<NewCampaignProps, 'ctx' | 'segments' | 'contacts'>> = {},
  ) => {
    const accountId = dash.accountOf(c);
    const [segments, found] = await Promise.all([
      s.segments.listSegments(accountId, { page: 1, per_page: 100 }),
      s.contacts.search(accountId, { limit: CONTACTS_OFFERED, offset: 0 }),
    ]);
    return (
      <NewCampaignPage
        ctx={dash.pageContext(c)}
        segments={segments.segments}
        contacts={found.contacts}
        form={stateFor(undefined, newAction(c))}
        {...extra}
      />
    );
  };
  app.on('GET', dash.both('/dashboard/campaigns/new'), ...counted, async (c) => {
    const { segment_id } = parseForm(forms.newCampaignQuery, dash.listing(c).values);
    const values = segment_id === undefined ? {} : { audience: 'segment', segment_id };
    return dash.html(c, await newPage(c, { form: { action: newAction(c), values, errors: {} } }));
  });
  // The quote of what was typed, and a confirmation carrying a fresh key: submitted twice, it creates one campaign.
  app.on('POST', dash.both('/dashboard/campaigns/new'), ...counted, async (c) => {
    try {
      const { input } = campaignForm(c.get('form'));
      const principal = dash.principalOf(c);
      const account = await s.admin.getAccount(principal.accountId);
      const quote = await s.campaigns.quote(principal, input, account.balance);
      return dash.html(
        c,
        await newPage(c, { form: dash.typedForm(c), quoted: { quote, key: randomToken(24) } }),
      );
    } catch (e) {
      return dash.refused(c, e, (error, form) => newPage(c, { error, form }), { INVALID_PHONE: 'audience' });
    }
  });
  app.on('POST', dash.both('/dashboard/campaigns'), ...counted, async (c) => {
    try {
      const { input, idempotencyKey } = campaignForm(c.get('form'));
      const created = await s.campaigns.create(dash.principalOf(c), input, { idempotencyKey });
      return dash.back(c, `/campaigns/${created.id}/`, 'campaign-created');
    } catch (e) {
      // Refused on confirming (the balance fell meanwhile): the form again, as typed, to quote anew.
      return dash.refused(c, e, (error, form) =>
        newPage(c, { error, form: { ...form, action: newAction(c) } }),
      );
    }
  });

  const idOf = (c: dash.Ctx) => c.req.param('id') ?? '';
  const campaignPage = async (
    c: dash.Ctx,
    extra: { notice?: string | undefined; error?: Parameters<typeof CampaignPage>[0]['error'] } = {},
  ) => {
    const accountId = dash.accountOf(c);
    const campaign = await s.campaigns.get(accountId, idOf(c));
    const failures = await s.campaigns.failures(accountId, campaign.id);
    return <CampaignPage ctx={dash.pageContext(c)} campaign={campaign} failures={failures} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/campaigns/:id'), ...counted, async (c) =>
    dash.html(c, await campaignPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/campaigns/:id/cancel'), ...counted, async (c) => {
    try {
      parseForm(forms.empty, c.get('form'));
      await s.actions.cancelCampaign(dash.principalOf(c), idOf(c));
      return dash.back(c, `/campaigns/${idOf(c)}/`, 'campaign-cancelled');
    } catch (e) {
      return dash.refused(c, e, (error) => campaignPage(c, { error }));
    }
  });
  return app;
}

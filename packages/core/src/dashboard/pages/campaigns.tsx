/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Campaigns } from '../../services/campaigns/campaigns';
import { Notices, Page, type PageContext, Pager, query, ShortId, Status, Table, Time } from '../layout';
import { CampaignStyle, ProgressBar } from './campaign-progress';

type CampaignList = Awaited<ReturnType<Campaigns['list']>>;

/** Campaigns, newest first: each one's status, progress and cost; a link to create one. */
export function CampaignsPage({
  ctx,
  list,
  notice,
}: {
  ctx: PageContext;
  list: CampaignList;
  notice?: string | undefined;
}) {
  const { t, fmt } = ctx;
  return (
    <Page ctx={ctx} title={t('nav.campaigns')} current="/campaigns">
      <CampaignStyle ctx={ctx} />
      <Notices notice={notice} />
      <p>
        <a href={`${ctx.root}/campaigns/new/`} class="button">
          {t('campaigns.new')}
        </a>
      </p>
      {list.campaigns.length === 0 ? (
        <p class="muted">{t('campaigns.none')}</p>
      ) : (
        <Table
          stack
          columns={[
            t('common.name'),
            t('common.status'),
            t('campaigns.progress'),
            { num: t('campaigns.recipients') },
            { num: t('common.cost') },
            t('common.created'),
          ]}
        >
          {list.campaigns.map((c) => (
            <tr data-campaign={c.id}>
              <td data-label={t('common.name')} class="wrap">
                <a href={`${ctx.root}/campaigns/${c.id}/`}>{c.name}</a>
                <br />
                <ShortId ctx={ctx} id={c.id} />
              </td>
              <td data-label={t('common.status')}>
                <Status ctx={ctx} status={c.status} />
              </td>
              <td data-label={t('campaigns.progress')} class="wrap">
                <ProgressBar ctx={ctx} campaign={c} compact />
              </td>
              <td data-label={t('campaigns.recipients')} class="num">
                {fmt.number(c.recipients)}
              </td>
              <td data-label={t('common.cost')} class="num">
                {fmt.money(c.cost, c.currency)}
              </td>
              <td data-label={t('common.created')} class="time">
                <Time ctx={ctx} at={c.created_at} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={list.pagination} href={(page) => query({ page })} />
    </Page>
  );
}

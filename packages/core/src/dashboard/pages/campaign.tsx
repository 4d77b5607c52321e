/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { FailureReason } from '../../services/campaigns/failures';
import { Notices, Page, type PageContext, PostButton, ShortId, Status, Table, Time } from '../layout';
import type { Refusal } from '../refusal';
import { CampaignStyle, type CampaignView, ProgressBar } from './campaign-progress';

/** Statuses a campaign stays in: its page stops refreshing there. */
const SETTLED = ['completed', 'cancelled'];

/**
 * Replaces the live part of the page with a fresh copy every two seconds until the campaign has
 * settled.
 */
const POLL_SCRIPT = `{let box=document.getElementById('live');const settled=${JSON.stringify(SETTLED)};const tick=async()=>{try{const r=await fetch(location.href,{headers:{accept:'text/html'}});if(r.ok){const n=new DOMParser().parseFromString(await r.text(),'text/html').getElementById('live');if(n){box.replaceWith(n);box=n}}}catch{}if(!settled.includes(box.dataset.status))setTimeout(tick,2000)};if(!settled.includes(box.dataset.status))setTimeout(tick,2000)}`;

/** Without the script, the page reloads itself (as markup: the JSX renderer moves a `<meta>` to the head). */
const NO_SCRIPT_REFRESH = '<noscript><meta http-equiv="refresh" content="5"></noscript>';

/** Why recipients failed: each error code, what it means (the catalogue's words, else the carrier's), how many. */
function Failures({ ctx, failures }: { ctx: PageContext; failures: FailureReason[] }) {
  const { t, fmt } = ctx;
  if (failures.length === 0) return <p class="muted">{t('campaigns.noFailures')}</p>;
  return (
    <Table
      stack
      columns={[
        t('campaigns.errorCode'),
        t('campaigns.meaning'),
        t('common.status'),
        { num: t('campaigns.count') },
      ]}
    >
      {failures.map((f) => (
        <tr data-failure={f.error_code ?? ''}>
          <td data-label={t('campaigns.errorCode')}>
            <code>{f.error_code ?? '—'}</code>
          </td>
          <td data-label={t('campaigns.meaning')} class="wrap">
            {t.maybe(`failure.${f.error_code}`) ?? f.message ?? t('failure.unknown')}
          </td>
          <td data-label={t('common.status')}>
            <Status ctx={ctx} status={f.status} />
          </td>
          <td data-label={t('campaigns.count')} class="num">
            {fmt.number(f.count)}
          </td>
        </tr>
      ))}
    </Table>
  );
}

/** One campaign: its progress (kept up to date until it settles), why recipients failed, and Cancel. */
export function CampaignPage({
  ctx,
  campaign: c,
  failures,
  notice,
  error,
}: {
  ctx: PageContext;
  campaign: CampaignView;
  failures: FailureReason[];
  notice?: string | undefined;
  error?: Refusal | undefined;
}) {
  const { t, fmt } = ctx;
  const settled = SETTLED.includes(c.status);
  return (
    <Page ctx={ctx} title={t('campaigns.title', { name: c.name })} current="/campaigns">
      <CampaignStyle ctx={ctx} />
      <p>
        <a href={`${ctx.root}/campaigns/`}>{t('campaigns.back')}</a>
      </p>
      <Notices error={error} notice={notice} />
      <section id="live" class="panel" data-status={c.status} aria-live="polite">
        <h2>
          {t('common.status')}: <Status ctx={ctx} status={c.status} />
        </h2>
        <ProgressBar ctx={ctx} campaign={c} />
        <p class="muted">{settled ? t('campaigns.settled') : t('campaigns.pending', { n: c.pending })}</p>
        <h3>{t('campaigns.failures')}</h3>
        <Failures ctx={ctx} failures={failures} />
        {settled ? null : (
          <p>
            <PostButton
              ctx={ctx}
              action={`${ctx.root}/campaigns/${c.id}/cancel`}
              label={t('campaigns.cancel')}
              describedAs={t('campaigns.cancelNamed', { name: c.name })}
              kind="danger"
            />{' '}
            <span class="muted">{t('campaigns.cancelHint')}</span>
          </p>
        )}
      </section>
      <h2>{t('campaigns.details')}</h2>
      <section class="panel">
        <dl>
          <dt>{t('campaigns.id')}</dt>
          <dd>
            <ShortId ctx={ctx} id={c.id} />
          </dd>
          <dt>{t('campaigns.audience')}</dt>
          <dd>
            {c.audience.segment_id ? (
              <a href={`${ctx.root}/segments/${c.audience.segment_id}/`}>{t('campaigns.audience.segment')}</a>
            ) : (
              (t.maybe(`campaigns.audience.${c.audience.type}`) ?? c.audience.type)
            )}
          </dd>
          <dt>{t('common.message')}</dt>
          <dd style="white-space:pre-wrap;overflow-wrap:anywhere">{c.message}</dd>
          <dt>{t('message.senderId')}</dt>
          <dd>{c.sender_id}</dd>
          <dt>{t('campaigns.recipients')}</dt>
          <dd>{fmt.number(c.recipients)}</dd>
          <dt>{t('campaigns.leftOut')}</dt>
          <dd>
            {t('campaigns.leftOutCounts', {
              inactive: c.excluded.inactive,
              duplicates: c.excluded.duplicates,
            })}
          </dd>
          <dt>{t('common.cost')}</dt>
          <dd>{fmt.money(c.cost, c.currency)}</dd>
          <dt>{t('campaigns.refunded')}</dt>
          <dd>{fmt.money(c.refunded, c.currency)}</dd>
          <dt>{t('common.created')}</dt>
          <dd>
            <Time ctx={ctx} at={c.created_at} />
          </dd>
          {c.schedule_time ? (
            <>
              <dt>{t('message.scheduled')}</dt>
              <dd>
                <Time ctx={ctx} at={c.schedule_time} />
              </dd>
            </>
          ) : null}
          {c.cancelled_at ? (
            <>
              <dt>{t('status.cancelled')}</dt>
              <dd>
                <Time ctx={ctx} at={c.cancelled_at} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>
      {settled ? null : (
        <>
          {raw(NO_SCRIPT_REFRESH)}
          <script nonce={ctx.nonce}>{raw(POLL_SCRIPT)}</script>
        </>
      )}
    </Page>
  );
}

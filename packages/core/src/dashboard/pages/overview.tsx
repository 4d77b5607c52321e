/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { CarrierView } from '../../dispatch/carrier-states';
import type { UsageOverview, UsageWindow } from '../../services/usage';
import { VolumeChart } from '../chart';
import { Page, type PageContext, Table, Time, ZoneNote } from '../layout';

function WindowCard({
  ctx,
  label,
  window,
  currency,
}: {
  ctx: PageContext;
  label: string;
  window: UsageWindow;
  currency: string;
}) {
  const { t, fmt } = ctx;
  return (
    <div class="card">
      <div class="label">{label}</div>
      <div class="value">{t.count('message', window.messages)}</div>
      <div>{`${t.count('recipient', window.recipients)} · ${fmt.money(window.cost, currency)}`}</div>
    </div>
  );
}

function CarriersTable({ ctx, carriers }: { ctx: PageContext; carriers: CarrierView[] }) {
  const { t } = ctx;
  return (
    <Table
      columns={[
        t('overview.carrier'),
        t('overview.state'),
        t('overview.lastError'),
        { num: t('overview.inFlight') },
        { num: t('overview.submits') },
      ]}
    >
      {carriers.map((c) => (
        <tr data-carrier={c.id} data-state={c.state}>
          <td>
            <code>{c.id}</code> <span class="muted">{c.type}</span>
          </td>
          <td>{t(`carrier.${c.state}`)}</td>
          <td>
            {c.last_error ? (
              <>
                {c.last_error.message} (<Time ctx={ctx} at={c.last_error.at} />)
              </>
            ) : (
              '—'
            )}
          </td>
          <td class="num">{ctx.fmt.number(c.in_flight)}</td>
          <td class="num">{ctx.fmt.number(c.submits_last_minute)}</td>
        </tr>
      ))}
    </Table>
  );
}

export function OverviewPage({
  ctx,
  usage,
  carriers,
}: {
  ctx: PageContext;
  usage: UsageOverview;
  carriers: CarrierView[];
}) {
  const { t, fmt } = ctx;
  const rate = usage.deliveryRate === null ? '—' : fmt.percent(usage.deliveryRate);
  return (
    <Page ctx={ctx} title={t('nav.overview')} current="">
      <ZoneNote ctx={ctx} />
      <div class="cards">
        <div class="card">
          <div class="label">{t('overview.balance')}</div>
          <div class="value" id="balance">
            {fmt.money(usage.balance, usage.currency)}
          </div>
        </div>
        <WindowCard ctx={ctx} label={t('overview.today')} window={usage.today} currency={usage.currency} />
        <WindowCard
          ctx={ctx}
          label={t('overview.last7')}
          window={usage.last7Days}
          currency={usage.currency}
        />
        <WindowCard
          ctx={ctx}
          label={t('overview.last30')}
          window={usage.last30Days}
          currency={usage.currency}
        />
        <div class="card">
          <div class="label">{t('overview.deliveryRate')}</div>
          <div class="value">{rate}</div>
          <div class="muted">{t('overview.deliveryRateHint')}</div>
        </div>
      </div>
      <h2>{t('overview.carriers')}</h2>
      <CarriersTable ctx={ctx} carriers={carriers} />
      <h2>{t('overview.daily')}</h2>
      <section class="panel">
        <VolumeChart ctx={ctx} days={usage.daily} />
      </section>
      <h2>{t('overview.failures')}</h2>
      {usage.failures.length === 0 ? (
        <p class="muted">{t('overview.noFailures')}</p>
      ) : (
        <Table columns={[t('overview.code'), t('overview.example'), { num: t('overview.recipients') }]}>
          {usage.failures.map((f) => (
            <tr>
              <td>
                <code>{f.code}</code>
              </td>
              <td>{f.message ?? '—'}</td>
              <td class="num">{fmt.number(f.count)}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { UsageFigures, UsageReport } from '../../services/usage-report';
import { BarChart } from '../chart';
import { Field, type FormState } from '../fields';
import { Notices, Page, type PageContext, query, Table } from '../layout';
import type { Refusal } from '../refusal';
import { type DayRange, PRESETS, type Preset } from '../usage-ranges';

/** Recipients per day by outcome: delivered, not reported yet, failed or expired. */
const OUTCOMES = [
  { key: 'delivered', color: '#2e7d32' },
  { key: 'waiting', color: '#1f6feb' },
  { key: 'failed', color: '#c62828' },
] as const;
const PRESET_LABEL = {
  last7: 'usage.last7',
  thisMonth: 'usage.thisMonth',
  lastMonth: 'usage.lastMonth',
} as const;

export interface UsagePageProps {
  ctx: PageContext;
  /** The range shown (or asked for, when it was refused). */
  range: DayRange;
  presets: Record<Preset, DayRange>;
  /** The report of the range; null when the range was refused. */
  report: UsageReport | null;
  error?: Refusal | undefined;
  /** The range form as it was refused. */
  form?: FormState | undefined;
}

/** A row's figures: messages, recipients, segments, delivered, failed, spend. */
function Figures({ ctx: { fmt }, of, currency }: { ctx: PageContext; of: UsageFigures; currency: string }) {
  return (
    <>
      <td class="num">{fmt.number(of.messages)}</td>
      <td class="num">{fmt.number(of.recipients)}</td>
      <td class="num">{fmt.number(of.segments)}</td>
      <td class="num">{fmt.number(of.delivered)}</td>
      <td class="num">{fmt.number(of.failed)}</td>
      <td class="num">{fmt.money(of.spend, currency)}</td>
    </>
  );
}

/** What was sent over the range: totals, a chart and a table per day, a table per operator, CSV downloads. */
function Report({ ctx, report }: { ctx: PageContext; report: UsageReport }) {
  const { t, fmt } = ctx;
  const { currency, totals } = report;
  const columns = (first: string) => [
    first,
    { num: t('usage.messages') },
    { num: t('usage.recipients') },
    { num: t('usage.segments') },
    { num: t('status.delivered') },
    { num: t('status.failed') },
    { num: t('usage.spend') },
  ];
  const totalRow = (
    <tr class="total" data-total="">
      <th scope="row">{t('usage.total')}</th>
      <Figures ctx={ctx} of={totals} currency={currency} />
    </tr>
  );
  const range = query({ from: report.from, to: report.to });
  const cards = [
    [t('usage.messages'), fmt.number(totals.messages)],
    [t('usage.recipients'), fmt.number(totals.recipients)],
    [t('usage.segments'), fmt.number(totals.segments)],
    [t('usage.spend'), fmt.money(totals.spend, currency)],
  ] as const;
  return (
    <>
      <p class="muted" data-range={`${report.from}/${report.to}`}>
        {t('usage.period', { from: report.from, to: report.to, zone: report.time_zone })}
      </p>
      <h2>{t('usage.totals')}</h2>
      <div class="cards">
        {cards.map(([label, value]) => (
          <div class="card">
            <div class="label">{label}</div>
            <div class="value">{value}</div>
          </div>
        ))}
      </div>
      <h2>{t('usage.exports')}</h2>
      <section class="panel">
        <p class="hint">{t('usage.exportsHint', { zone: report.time_zone })}</p>
        <ul>
          <li>
            <a href={`${ctx.root}/usage/delivery-reports.csv${range}`} id="export-delivery-reports">
              {t('usage.deliveryReports')}
            </a>
          </li>
          <li>
            <a href={`${ctx.root}/usage/ledger.csv${range}`} id="export-ledger">
              {t('usage.ledger')}
            </a>
          </li>
        </ul>
      </section>
      <h2>{t('usage.daily')}</h2>
      {totals.recipients === 0 ? <p class="muted">{t('usage.none')}</p> : null}
      <section class="panel">
        <BarChart
          ctx={ctx}
          days={report.days.map((d) => ({
            day: d.date,
            delivered: d.delivered,
            waiting: d.recipients - d.delivered - d.failed,
            failed: d.failed,
          }))}
          series={OUTCOMES.map((o) => ({
            ...o,
            label: t(o.key === 'waiting' ? 'usage.waiting' : `status.${o.key}`),
          }))}
          text={{
            axis: t('usage.recipients'),
            xAxis: t('usage.xAxis', { zone: report.time_zone }),
            title: (days, total) => t('usage.chartTitle', { days, total }),
            day: (d) => t('usage.chartDay', { ...d, day: fmt.day(d.day) }),
          }}
        />
      </section>
      <Table columns={columns(t('usage.day'))}>
        {report.days.map((d) => (
          <tr data-day={d.date}>
            <td>
              <time datetime={d.date}>{fmt.day(d.date)}</time>
            </td>
            <Figures ctx={ctx} of={d} currency={currency} />
          </tr>
        ))}
        {totalRow}
      </Table>
      <h2>{t('usage.byOperator')}</h2>
      {report.operators.length === 0 ? (
        <p class="muted">{t('usage.none')}</p>
      ) : (
        <Table columns={columns(t('usage.operator'))}>
          {report.operators.map((o) => (
            <tr data-operator={o.operator ?? ''}>
              <td>{o.operator ?? t('usage.unknownOperator')}</td>
              <Figures ctx={ctx} of={o} currency={currency} />
            </tr>
          ))}
          {totalRow}
        </Table>
      )}
    </>
  );
}

/** Usage over a chosen range of days in the account's time zone, and its delivery reports and ledger as CSV. */
export function UsagePage({ ctx, range, presets, report, error, form }: UsagePageProps) {
  const { t } = ctx;
  const action = `${ctx.root}/usage/`;
  const state = form ?? { action, values: { ...range }, errors: {} };
  return (
    <Page ctx={ctx} title={t('nav.usage')} current="/usage">
      <Notices error={error} />
      <form method="get" action={action} class="grid" aria-label={t('usage.range')}>
        <Field form={state} name="from" id="from" label={t('usage.from')} attributes={{ type: 'date' }} />
        <Field form={state} name="to" id="to" label={t('usage.to')} attributes={{ type: 'date' }} />
        <div>
          <button type="submit">{t('usage.show')}</button>
        </div>
      </form>
      <nav class="pager" aria-label={t('usage.quick')}>
        {PRESETS.map((p) => {
          const r = presets[p];
          const current = r.from === range.from && r.to === range.to;
          return (
            <a href={`${action}${query({ ...r })}`} aria-current={current ? 'true' : undefined}>
              {t(PRESET_LABEL[p])}
            </a>
          );
        })}
      </nav>
      {report ? <Report ctx={ctx} report={report} /> : null}
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { CarrierView } from '../../dispatch/carrier-states';
import type { UsageOverview, UsageWindow } from '../../services/usage';
import { VolumeChart } from '../chart';
import { counted, money, Page, type PageContext, Table } from '../layout';

function WindowCard({ label, window, currency }: { label: string; window: UsageWindow; currency: string }) {
  return (
    <div class="card">
      <div class="label">{label}</div>
      <div class="value">{counted(window.messages, 'message')}</div>
      <div>{`${counted(window.recipients, 'recipient')} · ${money(window.cost, currency)}`}</div>
    </div>
  );
}

const STATE_LABEL: Record<CarrierView['state'], string> = {
  bound: 'Bound',
  connecting: 'Connecting',
  down: 'Down',
  ready: 'Ready',
  breaker_open: 'Skipped (repeated failures)',
};

function CarriersTable({ carriers }: { carriers: CarrierView[] }) {
  return (
    <Table
      columns={['Carrier', 'State', 'Last error', { num: 'In flight' }, { num: 'Submits, last minute' }]}
    >
      {carriers.map((c) => (
        <tr data-carrier={c.id} data-state={c.state}>
          <td>
            <code>{c.id}</code> <span class="muted">{c.type}</span>
          </td>
          <td>{STATE_LABEL[c.state]}</td>
          <td>{c.last_error ? `${c.last_error.message} (${c.last_error.at})` : '—'}</td>
          <td class="num">{c.in_flight}</td>
          <td class="num">{c.submits_last_minute}</td>
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
  const rate = usage.deliveryRate === null ? '—' : `${(usage.deliveryRate * 100).toFixed(1)}%`;
  return (
    <Page ctx={ctx} title="Overview" current="">
      <div class="cards">
        <div class="card">
          <div class="label">Balance</div>
          <div class="value" id="balance">
            {money(usage.balance, usage.currency)}
          </div>
        </div>
        <WindowCard label="Today (UTC)" window={usage.today} currency={usage.currency} />
        <WindowCard label="Last 7 days" window={usage.last7Days} currency={usage.currency} />
        <WindowCard label="Last 30 days" window={usage.last30Days} currency={usage.currency} />
        <div class="card">
          <div class="label">Delivery rate, 30 days</div>
          <div class="value">{rate}</div>
          <div class="muted">delivered of delivered + failed</div>
        </div>
      </div>
      <h2>Carriers</h2>
      <CarriersTable carriers={carriers} />
      <h2>Daily volume by status</h2>
      <section class="panel">
        <VolumeChart days={usage.daily} />
      </section>
      <h2>Top failure reasons, 30 days</h2>
      {usage.failures.length === 0 ? (
        <p class="muted">No failures.</p>
      ) : (
        <Table columns={['Code', 'Example message', { num: 'Recipients' }]}>
          {usage.failures.map((f) => (
            <tr>
              <td>
                <code>{f.code}</code>
              </td>
              <td>{f.message ?? '—'}</td>
              <td class="num">{f.count}</td>
            </tr>
          ))}
        </Table>
      )}
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
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

export function OverviewPage({ ctx, usage }: { ctx: PageContext; usage: UsageOverview }) {
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

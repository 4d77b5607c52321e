/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { WebhookDeliveryView } from '../../webhooks/deliveries';
import type { WebhookSettingsView } from '../../webhooks/settings';
import {
  Csrf,
  FilterForm,
  Notice,
  Page,
  type PageContext,
  Pager,
  PostButton,
  query,
  Status,
  Table,
  when,
} from '../layout';

export interface WebhooksPageProps {
  ctx: PageContext;
  settings: WebhookSettingsView;
  deliveries: {
    deliveries: WebhookDeliveryView[];
    pagination: { page: number; total: number; total_pages: number };
  };
  status?: string | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

/** The default URL, Bearer on or off, the signing secret and its rotation, and recent deliveries. */
export function WebhooksPage({ ctx, settings, deliveries, status, notice, error }: WebhooksPageProps) {
  return (
    <Page ctx={ctx} title="Webhooks" current="/webhooks">
      {error ? <Notice kind="error">{error}</Notice> : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      <section class="panel">
        <h2 style="margin-top:0">Where events go</h2>
        <form method="post" action={`${ctx.root}/webhooks`}>
          <Csrf ctx={ctx} />
          <label for="url">Default URL (a send’s own webhook_url wins; empty: none)</label>
          <input
            type="url"
            id="url"
            name="url"
            value={settings.url ?? ''}
            placeholder="https://example.co.tz/sms-events"
          />
          <p>
            <label style="font-weight:400">
              <input type="checkbox" name="bearer_auth" value="on" checked={settings.bearer_auth} /> Send{' '}
              <code>Authorization: Bearer &lt;the key that sent the message&gt;</code>
            </label>
          </p>
          <button type="submit">Save</button>
        </form>
      </section>
      <h2>Signing secret</h2>
      <section class="panel">
        <p>
          Every event carries <code>X-Mifumo-Signature: v1=…</code>, an HMAC-SHA256 of{' '}
          <code>timestamp.body</code> with this secret.
        </p>
        <details>
          <summary>Show the signing secret</summary>
          <p>
            <code id="signing-secret">{settings.signing_secret}</code>{' '}
            <button type="button" class="secondary" data-copy="signing-secret">
              Copy
            </button>
          </p>
        </details>
        {settings.previous_secret_valid_until ? (
          <p>{`The previous secret also signs until ${when(settings.previous_secret_valid_until)}.`}</p>
        ) : null}
        <form method="post" action={`${ctx.root}/webhooks/rotate`} class="grid">
          <Csrf ctx={ctx} />
          <div>
            <label for="grace_hours">Keep the old secret signing too for (hours, up to 168)</label>
            <input type="number" id="grace_hours" name="grace_hours" min={0} max={168} value="24" required />
          </div>
          <div>
            <button type="submit">Rotate secret</button>
          </div>
        </form>
      </section>
      <h2>Recent deliveries</h2>
      <FilterForm label="Filter deliveries" button="Filter">
        <div>
          <label for="delivery-status">Status</label>
          <select id="delivery-status" name="status">
            <option value="">Any</option>
            {['pending', 'in_progress', 'succeeded', 'failed'].map((s) => (
              <option value={s} selected={status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </FilterForm>
      {deliveries.deliveries.length === 0 ? (
        <p class="muted">No deliveries.</p>
      ) : (
        <div style="margin-top:.75rem">
          <Table
            columns={[
              'Created',
              'Event',
              'Message',
              'Status',
              { num: 'Attempts' },
              'Last answer',
              'Next attempt',
              'Re-send',
            ]}
          >
            {deliveries.deliveries.map((d) => (
              <tr data-delivery={d.id}>
                <td>{when(d.created_at)}</td>
                <td>{d.event}</td>
                <td>
                  <a href={`${ctx.root}/messages/${encodeURIComponent(d.message_id)}/`}>{d.message_id}</a>
                </td>
                <td>
                  <Status status={d.status} />
                </td>
                <td class="num">{d.attempts}</td>
                <td>
                  {d.last_http_status !== null ? `HTTP ${d.last_http_status}` : ''}
                  {d.last_error ? ` ${d.last_error}` : ''}
                </td>
                <td>{when(d.next_attempt_at)}</td>
                <td>
                  {d.status === 'in_progress' ? (
                    '—'
                  ) : (
                    <PostButton
                      ctx={ctx}
                      action={`${ctx.root}/webhooks/deliveries/${encodeURIComponent(d.id)}/resend`}
                      label="Re-send"
                      describedAs={`Re-send ${d.event} of ${d.message_id}`}
                      kind="secondary"
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <Pager of={deliveries.pagination} href={(page) => query({ status, page })} />
    </Page>
  );
}

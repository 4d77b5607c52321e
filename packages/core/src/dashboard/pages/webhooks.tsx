/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { WebhookDeliveryView } from '../../webhooks/deliveries';
import type { WebhookSettingsView } from '../../webhooks/settings';
import { Field, type FormState, posted, stateFor } from '../fields';
import {
  Csrf,
  FilterForm,
  Notices,
  Page,
  type PageContext,
  Pager,
  PostButton,
  query,
  ShortId,
  Status,
  Table,
  Time,
} from '../layout';
import type { Refusal } from '../refusal';

/** The statuses a delivery goes through. */
const DELIVERY_STATUSES = ['pending', 'in_progress', 'succeeded', 'failed'] as const;

export interface WebhooksPageProps {
  ctx: PageContext;
  settings: WebhookSettingsView;
  deliveries: {
    deliveries: WebhookDeliveryView[];
    pagination: { page: number; total: number; total_pages: number };
  };
  status?: string | undefined;
  notice?: string | undefined;
  error?: Refusal | undefined;
  /** The form as it was refused (the settings' or the rotation's). */
  form?: FormState | undefined;
}

/** The default URL, Bearer on or off, the signing secret and its rotation, and recent deliveries. */
export function WebhooksPage(p: WebhooksPageProps) {
  const { ctx, settings, deliveries, status } = p;
  const { t, fmt } = ctx;
  const saving = stateFor(p.form, `${ctx.root}/webhooks`);
  const rotating = stateFor(p.form, `${ctx.root}/webhooks/rotate`);
  const bearer = posted(saving) ? saving.values.bearer_auth === 'on' : settings.bearer_auth;
  return (
    <Page ctx={ctx} title={t('nav.webhooks')} current="/webhooks">
      <Notices error={p.error} notice={p.notice} />
      <section class="panel">
        <h2 style="margin-top:0">{t('webhooks.where')}</h2>
        <form method="post" action={saving.action}>
          <Csrf ctx={ctx} />
          <Field
            form={saving}
            name="url"
            id="url"
            label={t('webhooks.url')}
            start={settings.url ?? ''}
            attributes={{ type: 'url', placeholder: 'https://example.co.tz/sms-events' }}
          />
          <p>
            <label style="font-weight:400">
              <input type="checkbox" name="bearer_auth" value="on" checked={bearer} /> {t('webhooks.bearer')}{' '}
              <code>{`Authorization: Bearer ${t('webhooks.bearerValue')}`}</code>
            </label>
          </p>
          <button type="submit">{t('common.save')}</button>
        </form>
      </section>
      <h2>{t('webhooks.secret')}</h2>
      <section class="panel">
        <p>{t('webhooks.secretHelp')}</p>
        <details>
          <summary>{t('webhooks.showSecret')}</summary>
          <p>
            <code id="signing-secret">{settings.signing_secret}</code>{' '}
            <button
              type="button"
              class="secondary"
              data-copy="signing-secret"
              data-copied={t('common.copied')}
            >
              {t('common.copy')}
            </button>
          </p>
        </details>
        {settings.previous_secret_valid_until ? (
          <p>{t('webhooks.previousUntil', { when: fmt.when(settings.previous_secret_valid_until) })}</p>
        ) : null}
        <form method="post" action={rotating.action} class="grid">
          <Csrf ctx={ctx} />
          <Field
            form={rotating}
            name="grace_hours"
            id="grace_hours"
            label={t('webhooks.grace')}
            start="24"
            attributes={{ type: 'number', min: 0, max: 168, required: true }}
          />
          <div>
            <button type="submit">{t('webhooks.rotate')}</button>
          </div>
        </form>
      </section>
      <h2>{t('webhooks.deliveries')}</h2>
      <FilterForm ctx={ctx} label={t('webhooks.filter')} button="filter">
        <div>
          <label for="delivery-status">{t('common.status')}</label>
          <select id="delivery-status" name="status">
            <option value="">{t('common.any')}</option>
            {DELIVERY_STATUSES.map((s) => (
              <option value={s} selected={status === s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      </FilterForm>
      {deliveries.deliveries.length === 0 ? (
        <p class="muted">{t('webhooks.none')}</p>
      ) : (
        <div style="margin-top:.75rem">
          <Table
            columns={[
              t('common.created'),
              t('webhooks.event'),
              t('common.message'),
              t('common.status'),
              { num: t('webhooks.attempts') },
              t('webhooks.lastAnswer'),
              t('webhooks.next'),
              t('webhooks.resend'),
            ]}
          >
            {deliveries.deliveries.map((d) => (
              <tr data-delivery={d.id}>
                <td>
                  <Time ctx={ctx} at={d.created_at} />
                </td>
                <td>{d.event}</td>
                <td>
                  <ShortId
                    ctx={ctx}
                    id={d.message_id}
                    href={`${ctx.root}/messages/${encodeURIComponent(d.message_id)}/`}
                  />
                </td>
                <td>
                  <Status ctx={ctx} status={d.status} />
                </td>
                <td class="num">{fmt.number(d.attempts)}</td>
                <td>
                  {d.last_http_status !== null ? `HTTP ${d.last_http_status}` : ''}
                  {d.last_error ? ` ${d.last_error}` : ''}
                </td>
                <td>
                  <Time ctx={ctx} at={d.next_attempt_at} />
                </td>
                <td>
                  {d.status === 'in_progress' ? (
                    '—'
                  ) : (
                    <PostButton
                      ctx={ctx}
                      action={`${ctx.root}/webhooks/deliveries/${encodeURIComponent(d.id)}/resend`}
                      label={t('webhooks.resend')}
                      describedAs={t('webhooks.resendNamed', { event: d.event, message: d.message_id })}
                      kind="secondary"
                    />
                  )}
                </td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <Pager ctx={ctx} of={deliveries.pagination} href={(page) => query({ status, page })} />
    </Page>
  );
}

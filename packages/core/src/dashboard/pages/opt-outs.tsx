/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Consent } from '../../services/consent';
import { Field, type FormState, stateFor, TextAreaField } from '../fields';
import {
  Csrf,
  FilterForm,
  Notices,
  Page,
  type PageContext,
  Pager,
  PhoneNumberField,
  query,
  ShortId,
  Table,
  Time,
  ZoneNote,
} from '../layout';
import type { Refusal } from '../refusal';

type Listed = Awaited<ReturnType<Consent['list']>>;
type History = Awaited<ReturnType<Consent['history']>>;

interface Messages {
  notice?: string | undefined;
  error?: Refusal | undefined;
  /** The form as it was refused. */
  form?: FormState | undefined;
}

const historyPath = (ctx: PageContext, phone: string) => `${ctx.root}/opt-outs/${encodeURIComponent(phone)}/`;

/** The account's opted-out numbers (newest first, searchable by number) and a form to add one. */
export function OptOutsPage({
  ctx,
  phone,
  data,
  notice,
  error,
  form,
}: Messages & { ctx: PageContext; phone: string | undefined; data: Listed }) {
  const { t } = ctx;
  const adding = stateFor(form, `${ctx.root}/opt-outs`);
  const { opt_outs, pagination } = data;
  return (
    <Page ctx={ctx} title={t('nav.optOuts')} current="/opt-outs">
      <Notices error={error} notice={notice} />
      <p>{t('optOuts.intro')}</p>
      <FilterForm ctx={ctx} label={t('optOuts.search')} button="search">
        <div>
          <label for="phone_number">{t('common.number')}</label>
          <input type="search" id="phone_number" name="phone_number" value={phone ?? ''} inputmode="tel" />
        </div>
      </FilterForm>
      <ZoneNote ctx={ctx} />
      <h2>{t('optOuts.heading', { total: pagination.total })}</h2>
      {opt_outs.length === 0 ? (
        <p class="muted">{t('optOuts.none')}</p>
      ) : (
        <Table columns={[t('common.number'), t('optOuts.since'), t('common.source'), t('common.reason')]}>
          {opt_outs.map((o) => (
            <tr data-opt-out={o.phone_number}>
              <td class="mono">
                <a href={historyPath(ctx, o.phone_number)}>{o.phone_number}</a>
              </td>
              <td>
                <Time ctx={ctx} at={o.created_at} />
              </td>
              <td>{t(`source.${o.source}`)}</td>
              <td class="wrap">{o.reason ?? '—'}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ phone_number: phone, page })} />
      <h2>{t('optOuts.add')}</h2>
      <section class="panel">
        <form method="post" action={adding.action} class="grid">
          <Csrf ctx={ctx} />
          <PhoneNumberField ctx={ctx} form={adding} id="o-phone" />
          <Field
            form={adding}
            name="reason"
            id="o-reason"
            label={t('optOuts.reason')}
            attributes={{ maxlength: 500 }}
          />
          <div>
            <button type="submit">{t('optOuts.button')}</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

/** A number's opt-outs and opt-ins, oldest first, and (while it is opted out) a form to opt it in again. */
export function OptOutHistoryPage({
  ctx,
  history,
  optedOut,
  notice,
  error,
  form,
}: Messages & { ctx: PageContext; history: History; optedOut: boolean }) {
  const { t } = ctx;
  const { phone_number, events, pagination } = history;
  const optingIn = stateFor(form, `${historyPath(ctx, phone_number)}opt-in`);
  return (
    <Page ctx={ctx} title={t('history.title', { phone: phone_number })} current="/opt-outs">
      <p>
        <a href={`${ctx.root}/opt-outs/`}>{t('history.back')}</a>
      </p>
      <Notices error={error} notice={notice} />
      <p data-opted-out={optedOut ? 'yes' : 'no'}>
        {t(optedOut ? 'history.optedOut' : 'history.notOptedOut')}
      </p>
      <ZoneNote ctx={ctx} />
      <Table
        columns={[
          t('common.when'),
          t('common.action'),
          t('common.source'),
          t('common.reason'),
          t('history.evidence'),
          t('history.origin'),
        ]}
      >
        {events.map((e) => (
          <tr data-event={e.id} data-action={e.action}>
            <td>
              <Time ctx={ctx} at={e.created_at} />
            </td>
            <td>{t(`history.${e.action}`)}</td>
            <td>{t(`source.${e.source}`)}</td>
            <td class="wrap">{e.reason ?? '—'}</td>
            <td class="wrap">{e.evidence ?? '—'}</td>
            <td>
              {e.inbound_id || e.api_key_id ? (
                <ShortId ctx={ctx} id={(e.inbound_id ?? e.api_key_id)!} />
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </Table>
      <Pager ctx={ctx} of={pagination} href={(page) => query({ page })} />
      {optedOut ? (
        <>
          <h2>{t('history.resubscribe')}</h2>
          <section class="panel">
            <form method="post" action={optingIn.action} class="grid">
              <Csrf ctx={ctx} />
              <TextAreaField
                form={optingIn}
                name="evidence"
                id="evidence"
                label={t('history.evidenceLabel')}
                attributes={{ rows: 2, maxlength: 1000, required: true }}
              />
              <div>
                <button type="submit">{t('history.optIn')}</button>
              </div>
            </form>
          </section>
        </>
      ) : null}
    </Page>
  );
}

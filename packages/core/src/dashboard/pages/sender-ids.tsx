/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { SENDER_ID_USES } from '../../domain/sender-approval';
import type { AccountSenderIds } from '../../services/account-sender-ids';
import type { SenderIdView } from '../../services/sender-id-views';
import { Field, type FormState, SelectField, stateFor, TextAreaField } from '../fields';
import {
  Csrf,
  Notices,
  Page,
  type PageContext,
  Pager,
  query,
  Status,
  Table,
  Time,
  ZoneNote,
} from '../layout';
import type { Refusal } from '../refusal';

type Listed = Awaited<ReturnType<AccountSenderIds['list']>>;

/** Each operator's decision as a badge: its name and status, and why it was rejected. */
function OperatorBadges({ ctx: { t }, senderId }: { ctx: PageContext; senderId: SenderIdView }) {
  return (
    <ul class="badges">
      {senderId.operators.map((o) => (
        <li class={`status ${o.status}`} data-operator={o.operator} data-status={o.status}>
          {`${o.operator}: ${t(`status.${o.status}`)}`}
          {o.reason ? ` — ${o.reason}` : ''}
        </li>
      ))}
    </ul>
  );
}

/** The account's sender IDs with each operator's decision, the gateway-wide ones, and a form to ask for one. */
export function SenderIdsPage({
  ctx,
  data,
  notice,
  error,
  form,
}: {
  ctx: PageContext;
  data: Listed;
  notice?: string | undefined;
  error?: Refusal | undefined;
  /** The request form as it was refused. */
  form?: FormState | undefined;
}) {
  const { t } = ctx;
  const asking = stateFor(form, `${ctx.root}/sender-ids`);
  const { sender_ids, pagination } = data;
  const columns = [
    t('senderIds.name'),
    t('senderIds.use'),
    t('senderIds.overall'),
    t('senderIds.operators'),
    t('senderIds.requested'),
  ] as const;
  return (
    <Page ctx={ctx} title={t('nav.senderIds')} current="/sender-ids">
      <Notices error={error} notice={notice} />
      <p>{t('senderIds.intro')}</p>
      <ZoneNote ctx={ctx} />
      <h2>{t('senderIds.heading', { total: pagination.total })}</h2>
      {sender_ids.length === 0 ? (
        <p class="muted">{t('senderIds.none')}</p>
      ) : (
        <Table columns={[...columns]} stack>
          {sender_ids.map((s) => (
            <tr data-sender-id={s.sender_id} data-status={s.status}>
              <td data-label={columns[0]}>
                <span>
                  <code>{s.sender_id}</code>
                  {s.gateway_wide ? <span class="muted">{` (${t('senderIds.gatewayWide')})`}</span> : null}
                </span>
              </td>
              <td data-label={columns[1]}>{s.use ? t(`senderIds.use.${s.use}`) : '—'}</td>
              <td data-label={columns[2]}>
                <span>
                  <Status ctx={ctx} status={s.status} />
                </span>
              </td>
              <td data-label={columns[3]}>
                <OperatorBadges ctx={ctx} senderId={s} />
              </td>
              <td data-label={columns[4]} class="time">
                <Time ctx={ctx} at={s.requested_at} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ page })} />
      <h2>{t('senderIds.request')}</h2>
      <section class="panel">
        <form method="post" action={asking.action} class="grid">
          <Csrf ctx={ctx} />
          <Field
            form={asking}
            name="sender_id"
            id="s-name"
            label={t('senderIds.name')}
            hint={t('senderIds.nameHint')}
            attributes={{ required: true, maxlength: 15, autocomplete: 'off', spellcheck: false }}
          />
          <SelectField
            form={asking}
            name="use"
            id="s-use"
            label={t('senderIds.useLabel')}
            start="transactional"
            options={SENDER_ID_USES.map((u) => ({
              value: u,
              label: t(u === 'transactional' ? 'senderIds.useTransactional' : 'senderIds.usePromotional'),
            }))}
          />
          <TextAreaField
            form={asking}
            name="note"
            id="s-note"
            label={t('senderIds.note')}
            hint={t('senderIds.noteHint')}
            attributes={{ rows: 2, maxlength: 500 }}
          />
          <div>
            <button type="submit">{t('senderIds.button')}</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

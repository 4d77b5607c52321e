/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { PUBLIC_STATUSES } from '../../domain/message-status';
import type { createMessageQueries } from '../../services/messages';
import { FieldFrame, type FormState, invalid, stateFor } from '../fields';
import {
  FilterForm,
  Notices,
  Page,
  type PageContext,
  Pager,
  query,
  ShortId,
  Status,
  Table,
  Time,
  ZoneNote,
} from '../layout';
import type { Refusal } from '../refusal';

type Reports = Awaited<ReturnType<ReturnType<typeof createMessageQueries>['deliveryReports']>>;

export interface MessageFilters {
  phone?: string | undefined;
  status?: string | undefined;
  start_date?: string | undefined;
  end_date?: string | undefined;
}

/** Every recipient of every message, newest first, searchable by number, status and date. */
export function MessagesPage({
  ctx,
  filters,
  data,
  error,
  form: refused,
}: {
  ctx: PageContext;
  filters: MessageFilters;
  data: Reports;
  /** A search refused: all messages are listed, the search kept as typed with the reason beside it. */
  error?: Refusal | undefined;
  form?: FormState | undefined;
}) {
  const { t, fmt } = ctx;
  const { reports, pagination } = data;
  const form = stateFor(refused, ctx.path);
  return (
    <Page ctx={ctx} title={t('nav.messages')} current="/messages">
      <Notices error={error} />
      <ZoneNote ctx={ctx} />
      <FilterForm ctx={ctx} label={t('messages.search')} button="search">
        <div>
          <label for="phone">{t('messages.phone')}</label>
          <input type="search" id="phone" name="phone" value={filters.phone ?? ''} inputmode="tel" />
        </div>
        <div>
          <label for="status">{t('common.status')}</label>
          <select id="status" name="status">
            <option value="">{t('common.any')}</option>
            {PUBLIC_STATUSES.map((s) => (
              <option value={s} selected={filters.status === s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {(['start_date', 'end_date'] as const).map((name) => (
          <FieldFrame
            form={form}
            name={name}
            id={name}
            label={t(name === 'start_date' ? 'messages.from' : 'messages.to')}
          >
            <input
              type="date"
              id={name}
              name={name}
              value={filters[name] ?? ''}
              {...invalid(form, name, name)}
            />
          </FieldFrame>
        ))}
      </FilterForm>
      <h2 class="visually-hidden">{t('common.results')}</h2>
      {reports.length === 0 ? (
        <p>{t('messages.none')}</p>
      ) : (
        <Table
          columns={[
            t('common.created'),
            t('messages.recipient'),
            t('messages.sender'),
            t('common.status'),
            { num: t('common.cost') },
            t('common.message'),
          ]}
        >
          {reports.map((r) => (
            <tr data-message={r.message_id}>
              <td>
                <Time ctx={ctx} at={r.created_at} />
              </td>
              <td class="mono">{r.phone}</td>
              <td>{r.sender_id}</td>
              <td>
                <Status ctx={ctx} status={r.status} />
              </td>
              <td class="num">{fmt.money(r.cost, r.currency)}</td>
              <td>
                <ShortId
                  ctx={ctx}
                  id={r.message_id}
                  href={`${ctx.root}/messages/${encodeURIComponent(r.message_id)}/`}
                />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ ...filters, page })} />
    </Page>
  );
}

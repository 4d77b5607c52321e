/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { PUBLIC_STATUSES } from '../../domain/message-status';
import type { createMessageQueries } from '../../services/messages';
import { FilterForm, Page, type PageContext, Pager, query, Status, Table, Time } from '../layout';

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
}: {
  ctx: PageContext;
  filters: MessageFilters;
  data: Reports;
}) {
  const { t, fmt } = ctx;
  const { reports, pagination } = data;
  return (
    <Page ctx={ctx} title={t('nav.messages')} current="/messages">
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
        <div>
          <label for="start_date">{t('messages.from')}</label>
          <input type="date" id="start_date" name="start_date" value={filters.start_date ?? ''} />
        </div>
        <div>
          <label for="end_date">{t('messages.to')}</label>
          <input type="date" id="end_date" name="end_date" value={filters.end_date ?? ''} />
        </div>
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
                <a href={`${ctx.root}/messages/${encodeURIComponent(r.message_id)}/`}>{r.message_id}</a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={pagination} href={(page) => query({ ...filters, page })} />
    </Page>
  );
}

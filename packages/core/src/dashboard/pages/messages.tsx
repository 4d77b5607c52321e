/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { PUBLIC_STATUSES } from '../../domain/message-status';
import type { createMessageQueries } from '../../services/messages';
import { FilterForm, money, Page, type PageContext, Pager, query, Status, Table, when } from '../layout';

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
  const { reports, pagination } = data;
  return (
    <Page ctx={ctx} title="Messages" current="/messages">
      <FilterForm label="Search messages" button="Search">
        <div>
          <label for="phone">Number contains</label>
          <input type="search" id="phone" name="phone" value={filters.phone ?? ''} inputmode="tel" />
        </div>
        <div>
          <label for="status">Status</label>
          <select id="status" name="status">
            <option value="">Any</option>
            {PUBLIC_STATUSES.map((s) => (
              <option value={s} selected={filters.status === s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="start_date">From (UTC)</label>
          <input type="date" id="start_date" name="start_date" value={filters.start_date ?? ''} />
        </div>
        <div>
          <label for="end_date">To (UTC)</label>
          <input type="date" id="end_date" name="end_date" value={filters.end_date ?? ''} />
        </div>
      </FilterForm>
      <h2 class="visually-hidden">Results</h2>
      {reports.length === 0 ? (
        <p>No messages match.</p>
      ) : (
        <Table columns={['Created', 'To', 'Sender', 'Status', { num: 'Cost' }, 'Message']}>
          {reports.map((r) => (
            <tr data-message={r.message_id}>
              <td>{when(r.created_at)}</td>
              <td class="mono">{r.phone}</td>
              <td>{r.sender_id}</td>
              <td>
                <Status status={r.status} />
              </td>
              <td class="num">{money(r.cost, r.currency)}</td>
              <td>
                <a href={`${ctx.root}/messages/${encodeURIComponent(r.message_id)}/`}>{r.message_id}</a>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager of={pagination} href={(page) => query({ ...filters, page })} />
    </Page>
  );
}

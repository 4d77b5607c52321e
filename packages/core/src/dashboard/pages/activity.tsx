/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ActivityEntry } from '../../services/activity';
import { FilterForm, Page, type PageContext, Pager, query, Table, when } from '../layout';

/** The audit log: what was changed, by which key (or the CLI), and the money moves. */
export function ActivityPage({
  ctx,
  entries,
  pagination,
  action,
}: {
  ctx: PageContext;
  entries: ActivityEntry[];
  pagination: { page: number; total: number; total_pages: number };
  action: string | undefined;
}) {
  return (
    <Page ctx={ctx} title="Activity" current="/activity">
      <FilterForm label="Filter activity" button="Filter">
        <div>
          <label for="action">Action (e.g. key.created, sms.sent, dashboard.signed_in)</label>
          <input type="search" id="action" name="action" value={action ?? ''} />
        </div>
      </FilterForm>
      {entries.length === 0 ? (
        <p class="muted">Nothing recorded.</p>
      ) : (
        <div style="margin-top:.75rem">
          <Table columns={['When', 'Action', 'By', 'Subject', 'Details']}>
            {entries.map((e) => (
              <tr data-action={e.action}>
                <td>{when(e.created_at)}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td class="mono">{e.actor ?? '—'}</td>
                <td class="mono">{e.subject ?? '—'}</td>
                <td class="mono wrap">{e.details ? JSON.stringify(e.details) : ''}</td>
              </tr>
            ))}
          </Table>
        </div>
      )}
      <Pager of={pagination} href={(page) => query({ action, page })} />
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ImportReport } from '../../services/contact-import';
import type { Contacts } from '../../services/contacts';
import type { Segments } from '../../services/segments';
import {
  Csrf,
  FilterForm,
  Notice,
  Page,
  type PageContext,
  Pager,
  PhoneNumberField,
  query,
  Table,
  when,
} from '../layout';

type Found = Awaited<ReturnType<Contacts['search']>>;
type SegmentList = Awaited<ReturnType<Segments['listSegments']>>;

export interface ContactsPageProps {
  ctx: PageContext;
  q: string | undefined;
  page: number;
  found: Found;
  segments: SegmentList;
  maxImportRows: number;
  report?: ImportReport | undefined;
  notice?: string | undefined;
  error?: string | undefined;
}

function ImportResult({ report }: { report: ImportReport }) {
  return (
    <section class="panel" aria-labelledby="import-result" id="import-report">
      <h2 id="import-result" style="margin-top:0">
        Import result
      </h2>
      <p>{`${report.received} rows read: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped (already there), ${report.failed} refused.`}</p>
      {report.errors.length ? (
        <Table columns={[{ num: 'Row' }, 'Field', 'Reason']} caption="Refused rows">
          {report.errors.map((e) => (
            <tr data-row={String(e.row)}>
              <td class="num">{e.row}</td>
              <td>{e.field ?? '—'}</td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </Table>
      ) : null}
    </section>
  );
}

/** Contacts (search, add one, import a CSV) and segments with their member counts. */
export function ContactsPage(p: ContactsPageProps) {
  const { ctx, found, segments } = p;
  const perPage = found.limit;
  return (
    <Page ctx={ctx} title="Contacts" current="/contacts">
      {p.error ? <Notice kind="error">{p.error}</Notice> : null}
      {p.notice ? <Notice kind="ok">{p.notice}</Notice> : null}
      {p.report ? <ImportResult report={p.report} /> : null}
      <FilterForm label="Search contacts" button="Search">
        <div>
          <label for="q">Name, email or number</label>
          <input type="search" id="q" name="q" value={p.q ?? ''} />
        </div>
      </FilterForm>
      <h2>{`Contacts (${found.total})`}</h2>
      {found.contacts.length === 0 ? (
        <p class="muted">No contacts match.</p>
      ) : (
        <Table columns={['Name', 'Number', 'Email', 'Tags', 'Active', 'Added']}>
          {found.contacts.map((c) => (
            <tr data-contact={c.phone_number}>
              <td>{c.name}</td>
              <td class="mono">{c.phone_number}</td>
              <td>{c.email ?? '—'}</td>
              <td>{c.tags.join(', ')}</td>
              <td>{c.is_active ? 'yes' : 'no'}</td>
              <td>{when(c.created_at)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        of={{ page: p.page, total_pages: Math.ceil(found.total / perPage), total: found.total }}
        href={(page) => query({ q: p.q, page })}
      />
      <h2>Segments</h2>
      {segments.segments.length === 0 ? (
        <p class="muted">No segments yet (create them over the API: POST /v1/contacts/segments/create/).</p>
      ) : (
        <Table columns={['Name', 'Description', 'Criteria', { num: 'Members' }]}>
          {segments.segments.map((s) => (
            <tr data-segment={s.id}>
              <td>{s.name}</td>
              <td>{s.description ?? '—'}</td>
              <td>
                <code>{JSON.stringify(s.criteria)}</code>
              </td>
              <td class="num">{s.contact_count}</td>
            </tr>
          ))}
        </Table>
      )}
      <h2>Add a contact</h2>
      <section class="panel">
        <form method="post" action={`${ctx.root}/contacts`} class="grid">
          <Csrf ctx={ctx} />
          <div>
            <label for="c-name">Name</label>
            <input type="text" id="c-name" name="name" required maxlength={200} />
          </div>
          <PhoneNumberField id="c-phone" />
          <div>
            <label for="c-email">Email (optional)</label>
            <input type="email" id="c-email" name="email" />
          </div>
          <div>
            <label for="c-tags">Tags (separated by ;)</label>
            <input type="text" id="c-tags" name="tags" placeholder="wateja; arusha" />
          </div>
          <div>
            <button type="submit">Add contact</button>
          </div>
        </form>
      </section>
      <h2>Import a CSV</h2>
      <section class="panel">
        <p>
          A header row naming <code>name</code>, <code>phone_number</code> and optionally <code>email</code>,{' '}
          <code>tags</code> (separated by <code>;</code>) and <code>is_active</code> (true/false). National
          numbers (<code>0754…</code>) are read in the gateway’s default region.{' '}
          {`Up to ${p.maxImportRows.toLocaleString('en-US')} rows; a bad row is reported and the others are stored.`}
        </p>
        <form method="post" action={`${ctx.root}/contacts/import`} enctype="multipart/form-data" class="grid">
          <Csrf ctx={ctx} />
          <div>
            <label for="csv">CSV file</label>
            <input type="file" id="csv" name="file" accept=".csv,text/csv" required />
          </div>
          <div>
            <label for="on_conflict">A number already there</label>
            <select id="on_conflict" name="on_conflict">
              <option value="skip">Skip the row</option>
              <option value="update">Update the contact</option>
            </select>
          </div>
          <div>
            <button type="submit">Import</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ImportReport } from '../../services/contact-import';
import type { Contacts } from '../../services/contacts';
import type { Segments } from '../../services/segments';
import {
  Csrf,
  FilterForm,
  Notices,
  Page,
  type PageContext,
  Pager,
  PhoneNumberField,
  query,
  Table,
  Time,
} from '../layout';
import type { Refusal } from '../refusal';

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
  error?: Refusal | undefined;
}

function ImportResult({ ctx, report }: { ctx: PageContext; report: ImportReport }) {
  const { t } = ctx;
  const { errors, ...counts } = report;
  return (
    <section class="panel" aria-labelledby="import-result" id="import-report">
      <h2 id="import-result" style="margin-top:0">
        {t('import.title')}
      </h2>
      <p>{t('import.summary', counts)}</p>
      {errors.length ? (
        <Table
          columns={[{ num: t('import.row') }, t('import.field'), t('common.reason')]}
          caption={t('import.refused')}
        >
          {errors.map((e) => (
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
  const { t, fmt } = ctx;
  const perPage = found.limit;
  return (
    <Page ctx={ctx} title={t('nav.contacts')} current="/contacts">
      <Notices error={p.error} notice={p.notice} />
      {p.report ? <ImportResult ctx={ctx} report={p.report} /> : null}
      <FilterForm ctx={ctx} label={t('contacts.search')} button="search">
        <div>
          <label for="q">{t('contacts.q')}</label>
          <input type="search" id="q" name="q" value={p.q ?? ''} />
        </div>
      </FilterForm>
      <h2>{t('contacts.heading', { total: found.total })}</h2>
      {found.contacts.length === 0 ? (
        <p class="muted">{t('contacts.none')}</p>
      ) : (
        <Table
          columns={[
            t('common.name'),
            t('common.number'),
            t('contacts.email'),
            t('contacts.tags'),
            t('contacts.active'),
            t('contacts.added'),
          ]}
        >
          {found.contacts.map((c) => (
            <tr data-contact={c.phone_number}>
              <td>{c.name}</td>
              <td class="mono">{c.phone_number}</td>
              <td>{c.email ?? '—'}</td>
              <td>{c.tags.join(', ')}</td>
              <td>{t(c.is_active ? 'common.yes' : 'common.no')}</td>
              <td>
                <Time ctx={ctx} at={c.created_at} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        ctx={ctx}
        of={{ page: p.page, total_pages: Math.ceil(found.total / perPage), total: found.total }}
        href={(page) => query({ q: p.q, page })}
      />
      <h2>{t('contacts.segments')}</h2>
      {segments.segments.length === 0 ? (
        <p class="muted">{t('contacts.noSegments')}</p>
      ) : (
        <Table
          columns={[
            t('common.name'),
            t('contacts.description'),
            t('contacts.criteria'),
            { num: t('contacts.members') },
          ]}
        >
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
      <h2>{t('contacts.add')}</h2>
      <section class="panel">
        <form method="post" action={`${ctx.root}/contacts`} class="grid">
          <Csrf ctx={ctx} />
          <div>
            <label for="c-name">{t('common.name')}</label>
            <input type="text" id="c-name" name="name" required maxlength={200} />
          </div>
          <PhoneNumberField ctx={ctx} id="c-phone" />
          <div>
            <label for="c-email">{t('contacts.emailOptional')}</label>
            <input type="email" id="c-email" name="email" />
          </div>
          <div>
            <label for="c-tags">{t('contacts.tagsHelp')}</label>
            <input type="text" id="c-tags" name="tags" placeholder={t('contacts.tagsPlaceholder')} />
          </div>
          <div>
            <button type="submit">{t('contacts.addButton')}</button>
          </div>
        </form>
      </section>
      <h2>{t('contacts.import')}</h2>
      <section class="panel">
        <p>{t('contacts.importHelp', { max: fmt.number(p.maxImportRows) })}</p>
        <form method="post" action={`${ctx.root}/contacts/import`} enctype="multipart/form-data" class="grid">
          <Csrf ctx={ctx} />
          <div>
            <label for="csv">{t('contacts.file')}</label>
            <input type="file" id="csv" name="file" accept=".csv,text/csv" required />
          </div>
          <div>
            <label for="on_conflict">{t('contacts.onConflict')}</label>
            <select id="on_conflict" name="on_conflict">
              <option value="skip">{t('contacts.skip')}</option>
              <option value="update">{t('contacts.update')}</option>
            </select>
          </div>
          <div>
            <button type="submit">{t('contacts.importButton')}</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

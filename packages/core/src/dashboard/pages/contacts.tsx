/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { ImportReport } from '../../services/contact-import';
import type { Contacts } from '../../services/contacts';
import type { Segments } from '../../services/segments';
import { Field, FieldFrame, type FormState, invalid, SelectField, stateFor } from '../fields';
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
  /** The form as it was refused (adding a contact, or importing). */
  form?: FormState | undefined;
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
  const adding = stateFor(p.form, `${ctx.root}/contacts`);
  const importing = stateFor(p.form, `${ctx.root}/contacts/import`);
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
              <td>
                <a href={`${ctx.root}/segments/${s.id}/`}>{s.name}</a>
              </td>
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
        <form method="post" action={adding.action} class="grid">
          <Csrf ctx={ctx} />
          <Field
            form={adding}
            name="name"
            id="c-name"
            label={t('common.name')}
            attributes={{ required: true, maxlength: 200 }}
          />
          <PhoneNumberField ctx={ctx} form={adding} id="c-phone" />
          <Field
            form={adding}
            name="email"
            id="c-email"
            label={t('contacts.emailOptional')}
            attributes={{ type: 'email' }}
          />
          <Field
            form={adding}
            name="tags"
            id="c-tags"
            label={t('contacts.tagsHelp')}
            attributes={{ placeholder: t('contacts.tagsPlaceholder') }}
          />
          <div>
            <button type="submit">{t('contacts.addButton')}</button>
          </div>
        </form>
      </section>
      <h2>{t('contacts.import')}</h2>
      <section class="panel">
        <p>{t('contacts.importHelp', { max: fmt.number(p.maxImportRows) })}</p>
        <form method="post" action={importing.action} enctype="multipart/form-data" class="grid">
          <Csrf ctx={ctx} />
          <FieldFrame form={importing} name="file" id="csv" label={t('contacts.file')}>
            <input
              type="file"
              id="csv"
              name="file"
              accept=".csv,text/csv"
              required
              {...invalid(importing, 'file', 'csv')}
            />
          </FieldFrame>
          <SelectField
            form={importing}
            name="on_conflict"
            id="on_conflict"
            label={t('contacts.onConflict')}
            start="skip"
            options={[
              { value: 'skip', label: t('contacts.skip') },
              { value: 'update', label: t('contacts.update') },
            ]}
          />
          <div>
            <button type="submit">{t('contacts.importButton')}</button>
          </div>
        </form>
      </section>
    </Page>
  );
}

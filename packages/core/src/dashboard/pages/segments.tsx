/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { SegmentCriteria } from '../../services/segment-criteria';
import type { Segments } from '../../services/segments';
import { Field, type FormState, SelectField, stateFor } from '../fields';
import { Csrf, Notices, Page, type PageContext, Pager, query, Table } from '../layout';
import type { Refusal } from '../refusal';

type SegmentList = Awaited<ReturnType<Segments['listSegments']>>;
export type SegmentView = SegmentList['segments'][number];

/**
 * Previews the member count as the criteria change: posts the form (as its Preview button does) a
 * moment after the last change and shows the count the answer holds (unless the criteria changed since).
 */
const COUNT_SCRIPT = `for(const f of document.querySelectorAll('form[data-segment-form]')){let t,asked=0;const out=f.querySelector('[data-count]');const run=async()=>{const k=asked,d=new FormData(f);d.set('intent','preview');try{const r=await fetch(f.action,{method:'POST',body:new URLSearchParams(d),headers:{accept:'text/html'}});const n=new DOMParser().parseFromString(await r.text(),'text/html').querySelector('form[data-segment-form] [data-count]');if(n&&k===asked){out.innerHTML=n.innerHTML;out.dataset.count=n.dataset.count}}catch{}};f.addEventListener('input',e=>{if(e.target.name?.startsWith('criteria.')){asked++;clearTimeout(t);t=setTimeout(run,400)}})}`;

/** The criteria in words: `Tagged arusha or moshi · active only · created from 2026-01-01`. */
export function criteriaText(t: PageContext['t'], c: SegmentCriteria) {
  const parts = [
    c.tags?.length ? t('segments.tagged', { tags: c.tags.join(t('segments.or')) }) : null,
    c.is_active === undefined ? null : t(c.is_active ? 'segments.activeOnly' : 'segments.inactiveOnly'),
    c.created_after ? t('segments.createdFrom', { when: c.created_after }) : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : t('segments.everyone');
}

/**
 * A segment's fields (its name, description and criteria), the member count the criteria match (when
 * previewed), and its buttons; `segment` fills the fields with what is stored.
 */
export function SegmentForm({
  ctx,
  form,
  segment,
  count,
  save,
}: {
  ctx: PageContext;
  form: FormState;
  segment?: SegmentView | undefined;
  /** How many contacts the typed criteria match (a preview), else undefined. */
  count?: number | undefined;
  save: string;
}) {
  const { t, fmt } = ctx;
  const c = segment?.criteria ?? {};
  const shown = count ?? segment?.contact_count;
  return (
    <form method="post" action={form.action} class="fields" data-segment-form>
      <Csrf ctx={ctx} />
      <Field
        form={form}
        name="name"
        id="s-name"
        label={t('common.name')}
        start={segment?.name}
        attributes={{ required: true, maxlength: 100 }}
      />
      <Field
        form={form}
        name="description"
        id="s-description"
        label={t('segments.descriptionOptional')}
        start={segment?.description ?? ''}
        attributes={{ maxlength: 500 }}
      />
      <Field
        form={form}
        name="criteria.tags"
        id="s-tags"
        label={t('segments.tags')}
        hint={t('segments.tagsHint')}
        start={c.tags?.join(', ')}
        attributes={{ placeholder: t('segments.tagsPlaceholder') }}
      />
      <SelectField
        form={form}
        name="criteria.is_active"
        id="s-active"
        label={t('segments.active')}
        start={c.is_active === undefined ? '' : String(c.is_active)}
        options={[
          { value: '', label: t('segments.anyContact') },
          { value: 'true', label: t('segments.activeOnly') },
          { value: 'false', label: t('segments.inactiveOnly') },
        ]}
      />
      <Field
        form={form}
        name="criteria.created_after"
        id="s-after"
        label={t('segments.createdAfter')}
        hint={t('segments.createdAfterHint')}
        start={c.created_after}
        attributes={{ placeholder: '2026-01-01' }}
      />
      <div class="field wide">
        <p class="count" aria-live="polite" data-count={shown === undefined ? '' : String(shown)}>
          {shown === undefined ? t('segments.countUnknown') : t('segments.count', { n: fmt.number(shown) })}
        </p>
        <button type="submit" name="intent" value="preview" class="secondary">
          {t('segments.previewCount')}
        </button>{' '}
        <button type="submit" name="intent" value="save">
          {save}
        </button>
      </div>
    </form>
  );
}

/** The live count of every segment form on a page. */
export const CountScript = ({ ctx }: { ctx: PageContext }) => (
  <script nonce={ctx.nonce}>{raw(COUNT_SCRIPT)}</script>
);

/** Segments: each with its criteria in words and its member count; a form to make one. */
export function SegmentsPage(p: {
  ctx: PageContext;
  list: SegmentList;
  notice?: string | undefined;
  error?: Refusal | undefined;
  form?: FormState | undefined;
  count?: number | undefined;
}) {
  const { ctx, list } = p;
  const { t, fmt } = ctx;
  return (
    <Page ctx={ctx} title={t('nav.segments')} current="/segments">
      <Notices error={p.error} notice={p.notice} />
      {list.segments.length === 0 ? (
        <p class="muted">{t('segments.none')}</p>
      ) : (
        <Table
          stack
          columns={[
            t('common.name'),
            t('contacts.description'),
            t('contacts.criteria'),
            { num: t('contacts.members') },
          ]}
        >
          {list.segments.map((s) => (
            <tr data-segment={s.id}>
              <td data-label={t('common.name')}>
                <a href={`${ctx.root}/segments/${s.id}/`}>{s.name}</a>
              </td>
              <td data-label={t('contacts.description')} class="wrap">
                {s.description ?? '—'}
              </td>
              <td data-label={t('contacts.criteria')} class="wrap">
                {criteriaText(t, s.criteria)}
              </td>
              <td data-label={t('contacts.members')} class="num">
                {fmt.number(s.contact_count)}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={list.pagination} href={(page) => query({ page })} />
      <h2>{t('segments.new')}</h2>
      <section class="panel">
        <SegmentForm
          ctx={ctx}
          form={stateFor(p.form, `${ctx.root}/segments`)}
          count={p.count}
          save={t('segments.create')}
        />
      </section>
      <CountScript ctx={ctx} />
    </Page>
  );
}

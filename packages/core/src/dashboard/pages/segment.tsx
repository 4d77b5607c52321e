/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import type { Contacts } from '../../services/contacts';
import { type FormState, stateFor } from '../fields';
import { Notices, Page, type PageContext, Pager, PostButton, query, Table, Time } from '../layout';
import type { Refusal } from '../refusal';
import { CountScript, criteriaText, SegmentForm, type SegmentView } from './segments';

type Members = Awaited<ReturnType<Contacts['list']>>;

/** One segment: its form to change it (with the count previewed), its members page by page, Delete. */
export function SegmentPage(p: {
  ctx: PageContext;
  segment: SegmentView;
  members: Members;
  notice?: string | undefined;
  error?: Refusal | undefined;
  form?: FormState | undefined;
  count?: number | undefined;
}) {
  const { ctx, segment, members } = p;
  const { t } = ctx;
  const path = `${ctx.root}/segments/${segment.id}`;
  return (
    <Page ctx={ctx} title={t('segments.title', { name: segment.name })} current="/segments">
      <p>
        <a href={`${ctx.root}/segments/`}>{t('segments.back')}</a>
      </p>
      <Notices error={p.error} notice={p.notice} />
      <p>
        {criteriaText(t, segment.criteria)}.{' '}
        <a href={`${ctx.root}/campaigns/new/${query({ segment_id: segment.id })}`}>{t('segments.sendTo')}</a>
      </p>
      <h2>{t('segments.members', { n: members.pagination.total })}</h2>
      {members.contacts.length === 0 ? (
        <p class="muted">{t('segments.noMembers')}</p>
      ) : (
        <Table
          stack
          columns={[
            t('common.name'),
            t('common.number'),
            t('contacts.tags'),
            t('contacts.active'),
            t('contacts.added'),
          ]}
        >
          {members.contacts.map((c) => (
            <tr data-member={c.phone_number}>
              <td data-label={t('common.name')}>{c.name}</td>
              <td data-label={t('common.number')}>
                <span class="mono">{c.phone_number}</span>
              </td>
              <td data-label={t('contacts.tags')}>{c.tags.join(', ')}</td>
              <td data-label={t('contacts.active')}>{t(c.is_active ? 'common.yes' : 'common.no')}</td>
              <td data-label={t('contacts.added')} class="time">
                <Time ctx={ctx} at={c.created_at} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager ctx={ctx} of={members.pagination} href={(page) => query({ page })} />
      <h2>{t('segments.edit')}</h2>
      <section class="panel">
        <SegmentForm
          ctx={ctx}
          form={stateFor(p.form, path)}
          segment={segment}
          count={p.count}
          save={t('common.save')}
        />
      </section>
      <h2>{t('segments.delete')}</h2>
      <p>
        {t('segments.deleteHint')}{' '}
        <PostButton
          ctx={ctx}
          action={`${path}/delete`}
          label={t('segments.deleteButton')}
          describedAs={t('segments.deleteNamed', { name: segment.name })}
          kind="danger"
        />
      </p>
      <CountScript ctx={ctx} />
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Services } from '../../api/services';
import { forms, parseForm } from '../forms';
import { SegmentPage } from '../pages/segment';
import { SegmentsPage } from '../pages/segments';
import * as dash from './context';

/** Tags as the form takes them: separated by commas or semicolons. */
const tagsOf = (text: string | undefined) =>
  text
    ?.split(/[;,]/)
    .map((t) => t.trim())
    .filter(Boolean);

/**
 * A segment's form read: `preview` asks for the count its criteria match (the name may still be
 * empty), `save` for the segment itself; both checked as the API checks a segment.
 */
function segmentForm(values: unknown) {
  const { intent, name, description, ...fields } = parseForm(forms.segment, values);
  const tags = tagsOf(fields['criteria.tags']);
  const active = fields['criteria.is_active'];
  const criteria = {
    ...(tags?.length ? { tags } : {}),
    ...(active === undefined ? {} : { is_active: active === 'true' }),
    ...(fields['criteria.created_after'] === undefined
      ? {}
      : { created_after: fields['criteria.created_after'] }),
  };
  if (intent === 'preview')
    return { intent, ...parseForm(forms.newSegment.pick({ criteria: true }), { criteria }) };
  return { intent, ...parseForm(forms.newSegment, { name, description, criteria }) };
}

/** Segments: list, create, change and delete one, its member count previewed, its members listed. */
export function segmentsRoutes(s: Services, { contactCounted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  type Extra = Omit<Parameters<typeof SegmentsPage>[0], 'ctx' | 'list'>;

  const listPage = async (c: dash.Ctx, extra: Extra = {}) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const list = await s.segments.listSegments(dash.accountOf(c), { page, per_page: 50 });
    return <SegmentsPage ctx={dash.pageContext(c)} list={list} {...extra} />;
  };
  /** How many contacts the form's criteria match, shown on its page with what was typed. */
  const preview = (c: dash.Ctx, criteria: Parameters<typeof s.segments.countFor>[1] = {}) =>
    s.segments.countFor(dash.accountOf(c), criteria).then((count) => ({ count, form: dash.typedForm(c) }));

  app.on('GET', dash.both('/dashboard/segments'), ...contactCounted, async (c) =>
    dash.html(c, await listPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/segments'), ...contactCounted, async (c) => {
    try {
      const input = segmentForm(c.get('form'));
      if (input.intent === 'preview')
        return dash.html(c, await listPage(c, await preview(c, input.criteria)));
      const { intent: _, ...segment } = input;
      const created = await s.segments.createSegment(dash.accountOf(c), segment);
      return dash.back(c, `/segments/${created.id}/`, 'segment-created');
    } catch (e) {
      return dash.refused(c, e, (error, form) => listPage(c, { error, form }));
    }
  });

  const idOf = (c: dash.Ctx) => c.req.param('id') ?? '';
  const segmentPage = async (
    c: dash.Ctx,
    extra: Omit<Parameters<typeof SegmentPage>[0], 'ctx' | 'segment' | 'members'> = {},
  ) => {
    const { page } = parseForm(forms.paged, dash.listing(c).values);
    const accountId = dash.accountOf(c);
    const segment = await s.segments.getSegment(accountId, idOf(c));
    const members = await s.contacts.list(accountId, { page, per_page: 50, criteria: segment.criteria });
    return <SegmentPage ctx={dash.pageContext(c)} segment={segment} members={members} {...extra} />;
  };
  app.on('GET', dash.both('/dashboard/segments/:id'), ...contactCounted, async (c) =>
    dash.html(c, await segmentPage(c, { notice: dash.listing(c).notice })),
  );
  app.on('POST', dash.both('/dashboard/segments/:id'), ...contactCounted, async (c) => {
    try {
      const input = segmentForm(c.get('form'));
      if (input.intent === 'preview')
        return dash.html(c, await segmentPage(c, await preview(c, input.criteria)));
      const { intent: _, ...change } = input;
      const saved = await s.segments.updateSegment(dash.accountOf(c), idOf(c), change);
      return dash.back(c, `/segments/${saved.id}/`, 'segment-saved');
    } catch (e) {
      return dash.refused(c, e, (error, form) => segmentPage(c, { error, form }));
    }
  });
  app.on('POST', dash.both('/dashboard/segments/:id/delete'), ...contactCounted, async (c) => {
    parseForm(forms.empty, c.get('form'));
    await s.segments.deleteSegment(dash.accountOf(c), idOf(c));
    return dash.back(c, '/segments/', 'segment-deleted');
  });
  return app;
}

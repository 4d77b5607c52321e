import { describe, expect, it } from 'vitest';
import { dashboardClient, fieldValue } from '../../../test/dashboard-client';
import { ENGINES } from '../../../test/databases';
import { gatewayOn, type TestGateway } from '../../../test/harness';

const ROOT = '/api/integration/dashboard';

/** The segment form as a browser posts it: every field, empty but those given. */
const segmentForm = (fields: Record<string, string>) => ({
  name: '',
  description: '',
  'criteria.tags': '',
  'criteria.is_active': '',
  'criteria.created_after': '',
  intent: 'save',
  ...fields,
});

/** An account with three contacts tagged `arusha` (one inactive) and one tagged `moshi`, signed in. */
async function withContacts(g: TestGateway) {
  const a = await g.newAccount(100);
  const { key } = a;
  for (const [name, phone_number, tags, is_active] of [
    ['Asha Mushi', '0754300001', ['Arusha'], true],
    ['Juma Kweka', '0754300002', ['arusha', 'duka'], true],
    ['Neema Lyimo', '0754300003', ['arusha'], false],
    ['Baraka Mosha', '0754300004', ['moshi'], true],
  ] as const) {
    const made = await g.call('POST', '/v1/contacts/create/', {
      key,
      body: { name, phone_number, tags: [...tags] },
    });
    if (!is_active)
      await g.call('PATCH', `/v1/contacts/${made.json.data.id}/`, { key, body: { is_active: false } });
  }
  const browser = dashboardClient(g);
  await browser.signIn(key);
  return { ...a, browser };
}

describe.each(ENGINES)('dashboard segments on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('previews the count of typed criteria, creates the segment as the API would, and lists its members', async () => {
    const g = gateway();
    const { browser, key } = await withContacts(g);
    const list = await browser.get('/dashboard/segments/');
    expect(list.status).toBe(200);
    expect(list.text).toContain('<h1>Segments</h1>');
    expect(list.text).toContain('data-segment-form');
    expect(list.text).toContain('Press “Preview count”');

    // Preview: the count of what was typed, the form kept as typed, nothing stored (no name needed).
    const preview = await browser.post(
      '/dashboard/segments',
      segmentForm({ 'criteria.tags': 'ARUSHA', 'criteria.is_active': 'true', intent: 'preview' }),
    );
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('data-count="2"');
    expect(preview.text).toContain('2 contacts match now.');
    expect(fieldValue(preview.text, 's-tags')).toBe('ARUSHA');
    expect((await g.call('GET', '/v1/contacts/segments/', { key })).json.data.segments).toEqual([]);

    // A bad date is refused beside its field, with what was typed kept.
    const refused = await browser.post(
      '/dashboard/segments',
      segmentForm({ name: 'Arusha', 'criteria.tags': 'arusha', 'criteria.created_after': 'jana' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/id="s-after-error">[^<]*ISO 8601/);
    expect(fieldValue(refused.text, 's-name')).toBe('Arusha');
    const unnamed = await browser.post('/dashboard/segments', {
      name: ' ',
      'criteria.tags': 'x',
      intent: 'save',
    });
    expect(unnamed.status).toBe(400);
    expect(unnamed.text).toMatch(/id="s-name-error">name must not be empty/);
    const unknown = await browser.post('/dashboard/segments', { name: 'x', 'criteria.city': 'Moshi' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('criteria.city');

    const created = await browser.post(
      '/dashboard/segments',
      segmentForm({ name: 'Arusha', description: 'Wateja wa Arusha', 'criteria.tags': 'Arusha, duka' }),
    );
    expect(created.status).toBe(303);
    const id = /\/segments\/(seg_\w+)\/\?done=segment-created$/.exec(created.location!)?.[1];
    expect(id).toBeDefined();
    const api = await g.call('GET', `/v1/contacts/segments/${id}/`, { key });
    expect(api.json.data).toMatchObject({
      name: 'Arusha',
      description: 'Wateja wa Arusha',
      criteria: { tags: ['arusha', 'duka'] },
      contact_count: 3,
    });

    const page = await browser.get(`/dashboard/segments/${id}/?done=segment-created`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Segment created.');
    expect(page.text).toContain('Members (3)');
    for (const phone of ['+255754300001', '+255754300002', '+255754300003'])
      expect(page.text).toContain(`data-member="${phone}"`);
    expect(page.text).not.toContain('data-member="+255754300004"');
    expect(fieldValue(page.text, 's-tags')).toBe('arusha, duka');
    expect(page.text).toContain(`href="${ROOT}/campaigns/new/?segment_id=${id}"`);

    const list2 = await browser.get('/dashboard/segments/');
    expect(list2.text).toMatch(
      new RegExp(`<tr data-segment="${id}">[\\s\\S]*Tagged arusha or duka[\\s\\S]*>3</td>`),
    );
  });

  it('changes a segment’s criteria and deletes it; another account sees none of it', async () => {
    const g = gateway();
    const { browser, key } = await withContacts(g);
    const made = await g.call('POST', '/v1/contacts/segments/create/', {
      key,
      body: { name: 'Wote', criteria: {} },
    });
    const id = made.json.data.id as string;
    await browser.get(`/dashboard/segments/${id}/`);
    const preview = await browser.post(
      `/dashboard/segments/${id}`,
      segmentForm({ name: 'Wote', 'criteria.is_active': 'false', intent: 'preview' }),
    );
    expect(preview.text).toContain('data-count="1"');
    expect((await g.call('GET', `/v1/contacts/segments/${id}/`, { key })).json.data.criteria).toEqual({});
    const saved = await browser.post(
      `/dashboard/segments/${id}`,
      segmentForm({
        name: 'Wasio hai',
        'criteria.is_active': 'false',
        'criteria.created_after': '2020-01-01',
      }),
    );
    expect(saved.location).toBe(`${ROOT}/segments/${id}/?done=segment-saved`);
    expect((await g.call('GET', `/v1/contacts/segments/${id}/`, { key })).json.data).toMatchObject({
      name: 'Wasio hai',
      criteria: { is_active: false, created_after: '2020-01-01' },
      contact_count: 1,
    });

    const other = dashboardClient(g);
    await other.signIn((await g.newAccount(10)).key);
    expect((await other.get(`/dashboard/segments/${id}/`)).status).toBe(404);
    await other.get('/dashboard/segments/');
    expect((await other.post(`/dashboard/segments/${id}/delete`)).status).toBe(404);
    expect((await other.get('/dashboard/segments/')).text).not.toContain(id);

    await browser.get(`/dashboard/segments/${id}/`);
    const deleted = await browser.post(`/dashboard/segments/${id}/delete`);
    expect(deleted.location).toBe(`${ROOT}/segments/?done=segment-deleted`);
    expect((await g.call('GET', `/v1/contacts/segments/${id}/`, { key })).status).toBe(404);
    expect((await g.call('GET', '/v1/contacts/search/', { key })).json.data.contacts).toHaveLength(4);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../test/databases';
import { createTestGateway, gatewayOn, manualClock, type TestGateway } from '../../../test/harness';

let g: TestGateway;
beforeEach(async () => {
  g = await createTestGateway();
});
afterEach(() => g.close());

const john = {
  name: 'John Doe',
  phone_number: '+255123456789',
  email: 'john@example.com',
  tags: ['customer', 'vip'],
  is_active: true,
};

describe('POST /v1/contacts/create', () => {
  it('creates the seed contact', async () => {
    const r = await g.call('POST', '/v1/contacts/create/', { body: john });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      success: true,
      message: 'Contact created successfully',
      data: {
        name: 'John Doe',
        phone_number: '+255123456789',
        email: 'john@example.com',
        tags: ['customer', 'vip'],
        is_active: true,
      },
    });
    expect(r.json.data.id).toMatch(/^ct_/);
  });

  it('normalises phone and tags (matched in any case, shown as first entered), defaults is_active to true', async () => {
    const r = await g.call('POST', '/v1/contacts/create/', {
      body: { name: ' Asha ', phone_number: '0754000111', tags: ['VIP', 'vip ', 'Customer'] },
    });
    expect(r.json.data).toMatchObject({
      name: 'Asha',
      phone_number: '+255754000111',
      tags: ['Customer', 'VIP'],
      is_active: true,
      email: null,
    });
  });

  it('409 CONFLICT for the same phone twice in one account, fine in another', async () => {
    await g.call('POST', '/v1/contacts/create/', { body: john });
    const again = await g.call('POST', '/v1/contacts/create/', {
      body: { ...john, phone_number: '0123456789' },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error_code: 'CONFLICT', details: { phone_number: '+255123456789' } });
    const other = await g.newAccount();
    expect((await g.call('POST', '/v1/contacts/create/', { key: other.key, body: john })).status).toBe(201);
  });

  it.each([
    ['no name', { phone_number: '+255754000111' }, 'VALIDATION_ERROR'],
    ['bad email', { name: 'x', phone_number: '+255754000111', email: 'not-an-email' }, 'VALIDATION_ERROR'],
    ['tags not strings', { name: 'x', phone_number: '+255754000111', tags: [1] }, 'VALIDATION_ERROR'],
    ['bad phone', { name: 'x', phone_number: '12345' }, 'INVALID_PHONE'],
  ])('%s → %s', async (_n, body, code) => {
    const r = await g.call('POST', '/v1/contacts/create/', { body });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe(code);
  });
});

describe('search beyond ASCII', () => {
  it.each([
    ['Élodie', ['Élodie', 'élodie', 'ELODIE', 'lod']],
    ['ÉMILE Ngowi', ['émile', 'Emile', 'ÉMILE']],
    ['Жанна', ['жанна', 'ЖАННА', 'Жанна']],
    ['ŞEKER', ['şeker', 'Şeker', 'seker']],
  ])('%s is found by %j', async (name, queries) => {
    await g.call('POST', '/v1/contacts/create/', { body: { name, phone_number: '+255754000999' } });
    for (const q of queries) {
      const r = await g.call('GET', `/v1/contacts/search/?q=${encodeURIComponent(q)}`);
      expect(
        r.json.data.contacts.map((c: { name: string }) => c.name),
        q,
      ).toEqual([name]);
    }
  });
});

describe('GET /v1/contacts/search', () => {
  beforeEach(async () => {
    await g.call('POST', '/v1/contacts/create/', { body: john });
    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Asha Mrema', phone_number: '+255754000111', tags: ['customer'] },
    });
    await g.call('POST', '/v1/contacts/create/', {
      body: {
        name: 'Juma 100%_off',
        phone_number: '+255681234567',
        email: 'juma@duka.co.tz',
        is_active: false,
      },
    });
  });

  it.each([
    ['q=John', ['John Doe']],
    ['q=john', ['John Doe']],
    ['q=754000', ['Asha Mrema']],
    ['q=0754000111', ['Asha Mrema']],
    ['q=duka.co', ['Juma 100%_off']],
    ['q=100%25_', ['Juma 100%_off']],
    ['q=%25', ['Juma 100%_off']],
    ['q=nobody', []],
  ])('%s', async (query, names) => {
    const r = await g.call('GET', `/v1/contacts/search/?${query}`);
    expect(r.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(names);
    expect(r.json.data.total).toBe(names.length);
  });

  it('pages with limit and offset, newest first, with the total', async () => {
    const names = (r: { json: { data: { contacts: { name: string }[] } } }) =>
      r.json.data.contacts.map((c) => c.name);
    const all = await g.call('GET', '/v1/contacts/search/');
    expect(names(all)).toHaveLength(3);
    const r = await g.call('GET', '/v1/contacts/search/?limit=2&offset=1');
    expect(r.json.data).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(names(r)).toEqual(names(all).slice(1, 3));
    const created = all.json.data.contacts.map((c: { created_at: string }) => c.created_at);
    expect([...created].sort().reverse()).toEqual(created);
    expect((await g.call('GET', '/v1/contacts/search/')).json.data.limit).toBe(20);
  });

  it('VALIDATION_ERROR for a bad limit or offset', async () => {
    for (const q of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      expect((await g.call('GET', `/v1/contacts/search/?${q}`)).json.error_code).toBe('VALIDATION_ERROR');
    }
  });
});

describe('segments', () => {
  it('creates the seed segment and filters search by it; new contacts join by themselves', async () => {
    await g.call('POST', '/v1/contacts/create/', { body: john });
    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Asha Mrema', phone_number: '+255754000111', tags: ['customer'] },
    });
    const seg = await g.call('POST', '/v1/contacts/segments/create/', {
      body: {
        name: 'VIP Customers',
        description: 'High-value customers',
        criteria: { tags: ['vip', 'premium'], is_active: true, created_after: '2024-01-01' },
      },
    });
    expect(seg.status).toBe(201);
    expect(seg.json.data).toMatchObject({
      name: 'VIP Customers',
      contact_count: 1,
      criteria: { tags: ['vip', 'premium'] },
    });
    expect(Object.keys(seg.json.data)[0]).toBe('id');
    const id = seg.json.data.id;

    let r = await g.call('GET', `/v1/contacts/search/?segment_id=${id}`);
    expect(r.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['John Doe']);

    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Neema', phone_number: '+255754000222', tags: ['Premium'] },
    });
    await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Inactive VIP', phone_number: '+255754000333', tags: ['vip'], is_active: false },
    });
    r = await g.call('GET', `/v1/contacts/search/?segment_id=${id}&q=ne`);
    expect(r.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['Neema']);
    r = await g.call('GET', `/v1/contacts/segments/${id}/`);
    expect(r.json.data.contact_count).toBe(2);
    r = await g.call('GET', '/v1/contacts/segments/');
    expect(r.json.data.segments).toHaveLength(1);
  });

  it('created_after excludes older contacts', async () => {
    const clock = manualClock(Date.UTC(2024, 0, 1));
    const s = await createTestGateway({ clock });
    try {
      await s.call('POST', '/v1/contacts/create/', { body: { name: 'Old', phone_number: '+255754000111' } });
      clock.advance(10 * 86_400_000);
      await s.call('POST', '/v1/contacts/create/', { body: { name: 'New', phone_number: '+255754000222' } });
      const seg = await s.call('POST', '/v1/contacts/segments/create/', {
        body: { name: 'Recent', criteria: { created_after: '2024-01-05' } },
      });
      const r = await s.call('GET', `/v1/contacts/search/?segment_id=${seg.json.data.id}`);
      expect(r.json.data.contacts.map((c: { name: string }) => c.name)).toEqual(['New']);
    } finally {
      await s.close();
    }
  });

  it('no criteria: every contact', async () => {
    await g.call('POST', '/v1/contacts/create/', { body: john });
    const seg = await g.call('POST', '/v1/contacts/segments/create/', { body: { name: 'All' } });
    expect(seg.json.data.contact_count).toBe(1);
  });

  it.each([
    ['unknown criterion', { name: 'x', criteria: { tag: ['vip'] } }],
    ['bad date', { name: 'x', criteria: { created_after: 'last week' } }],
    ['no name', { criteria: {} }],
  ])('VALIDATION_ERROR: %s', async (_n, body) => {
    const r = await g.call('POST', '/v1/contacts/segments/create/', { body });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe('VALIDATION_ERROR');
  });

  it('404 for an unknown segment_id', async () => {
    const r = await g.call('GET', '/v1/contacts/search/?segment_id=seg_nope');
    expect(r.status).toBe(404);
    expect(r.json.error_code).toBe('NOT_FOUND');
  });
});

describe.each(ENGINES)('contacts CRUD on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  async function account() {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const create = async (body: Record<string, unknown>) =>
      (await t.call('POST', '/v1/contacts/create/', { key, body })).json.data;
    return { t, key, create };
  }

  it('lists newest first with filters (tag in any case, active, created range) and stable pages', async () => {
    const { t, key, create } = await account();
    const made = [];
    for (let i = 0; i < 7; i++)
      made.push(
        await create({
          name: `Mteja ${i}`,
          phone_number: `075400020${i}`,
          tags: i % 2 ? ['Arusha'] : ['Dar'],
          is_active: i !== 3,
        }),
      );
    const page = async (q: string) => (await t.call('GET', `/v1/contacts/?${q}`, { key })).json.data;
    const all = await page('per_page=3');
    expect(all.pagination).toEqual({ page: 1, per_page: 3, total: 7, total_pages: 3 });
    const pages = [all, await page('per_page=3&page=2'), await page('per_page=3&page=3')];
    // Pages tile one stable order: newest first, then by id (contacts made in the same millisecond).
    const whole = (await page('per_page=100')).contacts.map((c: { id: string }) => c.id);
    expect(pages.flatMap((p) => p.contacts.map((c: { id: string }) => c.id))).toEqual(whole);
    expect([...whole].sort()).toEqual(made.map((c) => c.id).sort());
    expect((await page('tag=ARUSHA')).contacts.map((c: { name: string }) => c.name).sort()).toEqual([
      'Mteja 1',
      'Mteja 3',
      'Mteja 5',
    ]);
    expect((await page('tag=arusha&is_active=false')).pagination.total).toBe(1);
    expect((await page('created_after=2000-01-01&created_before=2999-01-01')).pagination.total).toBe(7);
    expect((await page('created_before=2000-01-01')).pagination.total).toBe(0);
    const bad = await t.call('GET', '/v1/contacts/?is_active=yes&colour=red', { key });
    expect(bad.status).toBe(400);
    expect(bad.json.details.map((d: { field: string }) => d.field).sort()).toEqual(['colour', 'is_active']);
    expect((await t.call('GET', '/v1/contacts/?created_after=2027-02-30', { key })).status).toBe(400);
  });

  it('reads, patches (phone normalised and unique, tags replaced, email cleared) and deletes', async () => {
    const { t, key, create } = await account();
    const asha = await create({
      name: 'Asha',
      phone_number: '0754000301',
      email: 'asha@example.co.tz',
      tags: ['VIP'],
    });
    const juma = await create({ name: 'Juma', phone_number: '0754000302' });
    expect((await t.call('GET', `/v1/contacts/${asha.id}/`, { key })).json.data).toEqual(asha);

    const patched = await t.call('PATCH', `/v1/contacts/${asha.id}/`, {
      key,
      body: { phone_number: '255 754 000 303', email: null, tags: ['Wateja', 'Arusha'] },
    });
    expect(patched.status).toBe(200);
    expect(patched.json.data).toMatchObject({
      name: 'Asha',
      phone_number: '+255754000303',
      email: null,
      tags: ['Arusha', 'Wateja'],
    });
    expect(patched.json.data.updated_at >= asha.updated_at).toBe(true);
    const clash = await t.call('PATCH', `/v1/contacts/${asha.id}/`, {
      key,
      body: { phone_number: '0754000302' },
    });
    expect(clash.status).toBe(409);
    expect(clash.json.error_code).toBe('CONFLICT');
    for (const body of [{}, { colour: 'red' }, { name: '' }, { phone_number: '12' }]) {
      const r = await t.call('PATCH', `/v1/contacts/${asha.id}/`, { key, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    // Still as patched: nothing of a refused change was written.
    expect((await t.call('GET', `/v1/contacts/${asha.id}/`, { key })).json.data.phone_number).toBe(
      '+255754000303',
    );

    const removed = await t.call('DELETE', `/v1/contacts/${juma.id}/`, { key });
    expect(removed.json.data).toMatchObject({ id: juma.id, name: 'Juma' });
    expect((await t.call('GET', `/v1/contacts/${juma.id}/`, { key })).status).toBe(404);
    expect((await t.call('DELETE', `/v1/contacts/${juma.id}/`, { key })).status).toBe(404);
    // Its number is free again.
    expect(
      (await t.call('PATCH', `/v1/contacts/${asha.id}/`, { key, body: { phone_number: '0754000302' } }))
        .status,
    ).toBe(200);
  });

  it('answers 404 on every verb for another account’s contact, and changes nothing of it', async () => {
    const mine = await account();
    const theirs = await account();
    const contact = await theirs.create({ name: 'Siri', phone_number: '0754000401', tags: ['x'] });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'Hacked' }],
      ['PATCH', { tags: ['y'] }],
      ['DELETE', undefined],
    ] as const) {
      const r = await mine.t.call(method, `/v1/contacts/${contact.id}/`, { key: mine.key, body });
      expect(r.status, method).toBe(404);
    }
    expect(
      (await theirs.t.call('GET', `/v1/contacts/${contact.id}/`, { key: theirs.key })).json.data,
    ).toEqual(contact);
  });

  it('keeps segment counts right after patches and deletes', async () => {
    const { t, key, create } = await account();
    const seg = (
      await t.call('POST', '/v1/contacts/segments/create/', {
        key,
        body: { name: 'VIP', criteria: { tags: ['vip'] } },
      })
    ).json.data;
    const a = await create({ name: 'A', phone_number: '0754000501', tags: ['VIP'] });
    await create({ name: 'B', phone_number: '0754000502', tags: ['vip'] });
    const count = async () =>
      (await t.call('GET', `/v1/contacts/segments/${seg.id}/`, { key })).json.data.contact_count;
    expect(await count()).toBe(2);
    await t.call('PATCH', `/v1/contacts/${a.id}/`, { key, body: { tags: [] } });
    expect(await count()).toBe(1);
    await t.call('PATCH', `/v1/contacts/${a.id}/`, { key, body: { tags: ['Vip'] } });
    expect(await count()).toBe(2);
    await t.call('DELETE', `/v1/contacts/${a.id}/`, { key });
    expect(await count()).toBe(1);
  });

  it('needs write for changes and read for reads', async () => {
    const t = gateway();
    const { key: reader } = await t.newAccount(10, ['read']);
    const r = await t.call('PATCH', '/v1/contacts/ct_x/', { key: reader, body: { name: 'x' } });
    expect(r.status).toBe(403);
    expect((await t.call('DELETE', '/v1/contacts/ct_x/', { key: reader })).status).toBe(403);
    expect((await t.call('GET', '/v1/contacts/ct_x/', { key: reader })).status).toBe(404);
  });
});

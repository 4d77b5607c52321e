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

  it('normalises phone and tags (matched in any case, shown as first entered, in their order), defaults is_active to true', async () => {
    const r = await g.call('POST', '/v1/contacts/create/', {
      body: { name: ' Asha ', phone_number: '0754000111', tags: ['VIP', 'vip ', 'Customer'] },
    });
    expect(r.json.data).toMatchObject({
      name: 'Asha',
      phone_number: '+255754000111',
      tags: ['VIP', 'Customer'],
      is_active: true,
      email: null,
    });
    expect((await g.call('GET', `/v1/contacts/${r.json.data.id}/`)).json.data.tags).toEqual([
      'VIP',
      'Customer',
    ]);
  });

  it('409 CONFLICT for the same phone twice in one account, fine in another', async () => {
    await g.call('POST', '/v1/contacts/create/', { body: john });
    const again = await g.call('POST', '/v1/contacts/create/', {
      body: { ...john, phone_number: '0123456789' },
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({
      error_code: 'CONFLICT',
      details: { reason: 'phone_number_taken', phone_number: '+255123456789' },
    });
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
      tags: ['Wateja', 'Arusha'],
    });
    expect(patched.json.data.updated_at >= asha.updated_at).toBe(true);
    // As entered, on every read too.
    expect((await t.call('GET', `/v1/contacts/${asha.id}/`, { key })).json.data.tags).toEqual([
      'Wateja',
      'Arusha',
    ]);
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

describe.each(ENGINES)('POST /v1/contacts/import on %s', (_engine, open) => {
  const gateway = gatewayOn(open);
  const send = (t: TestGateway, key: string, body: string, type: string, query = '') =>
    t.call('POST', `/v1/contacts/import/${query}`, { key, body, headers: { 'Content-Type': type } });

  it('takes a JSON array: stores the good rows, reports each bad one by its index + 1', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const rows = [
      { name: 'Asha', phone_number: '0754000601', tags: ['Wateja'] },
      'not a contact',
      { name: 'Juma', phone_number: '12' },
      { name: 'Neema', phone_number: '+255754000602', colour: 'red' },
      { name: 'Baraka', phone_number: '255754000603', email: 'baraka@example.co.tz', is_active: false },
    ];
    const r = await send(t, key, JSON.stringify(rows), 'application/json');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ success: true, message: 'Contacts imported' });
    expect(r.json.data).toEqual({
      received: 5,
      created: 2,
      updated: 0,
      skipped: 0,
      failed: 3,
      errors: [
        { row: 2, field: null, reason: 'must be an object' },
        { row: 3, field: 'phone_number', reason: 'wrong length for its country' },
        { row: 4, field: 'colour', reason: 'unknown field' },
      ],
    });
    const listed = (await t.call('GET', '/v1/contacts/', { key })).json.data.contacts;
    expect(listed.map((c: { name: string }) => c.name).sort()).toEqual(['Asha', 'Baraka']);
    const log = (await t.call('GET', '/v1/activity/?action=contacts.imported', { key })).json.data.activity;
    expect(log[0].details).toMatchObject({ received: 5, created: 2, failed: 3, on_conflict: 'skip' });
  });

  it('takes CSV as text/csv, and on_conflict=update changes the numbers already there', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const first = await send(
      t,
      key,
      'name,phone_number,tags\nAsha,0754000701,vip;Arusha\nJuma,0754000702,\n',
      'text/csv',
    );
    expect(first.json.data).toMatchObject({ received: 2, created: 2, failed: 0 });
    const again = await send(
      t,
      key,
      'phone_number,name\n0754000701,Asha Mushi\n0754000703,Neema\n',
      'text/csv; charset=utf-8',
      '?on_conflict=update',
    );
    expect(again.json.data).toMatchObject({ received: 2, created: 1, updated: 1, skipped: 0 });
    const asha = (await t.call('GET', '/v1/contacts/?tag=vip', { key })).json.data.contacts[0];
    expect(asha).toMatchObject({ name: 'Asha Mushi', tags: ['vip', 'Arusha'] });
  });

  it('refuses what it cannot take, naming why, and stores nothing', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const { key: reader } = await t.newAccount(10, ['read']);
    const cases: [string, string, string, number, string][] = [
      ['{"name":"A"}', 'application/json', '', 400, 'INVALID_JSON'],
      ['[{', 'application/json', '', 400, 'INVALID_JSON'],
      ['name,phone_number', 'text/plain', '', 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['name,phone_number,colour\nA,0754000801,red', 'text/csv', '', 400, 'VALIDATION_ERROR'],
      ['[]', 'application/json', '?on_conflict=merge', 400, 'VALIDATION_ERROR'],
      ['[]', 'application/json', '?mode=fast', 400, 'VALIDATION_ERROR'],
    ];
    for (const [body, type, query, status, code] of cases) {
      const r = await send(t, key, body, type, query);
      expect(r.status, `${type} ${body} ${query}`).toBe(status);
      expect(r.json.error_code).toBe(code);
    }
    expect((await send(t, reader, '[]', 'application/json')).status).toBe(403);
    expect((await t.call('GET', '/v1/contacts/', { key })).json.data.pagination.total).toBe(0);
  });

  it('reports a row with text no database can store (NUL, a lone surrogate) and stores the others', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    const csv = await send(t, key, 'name,phone_number\nAsha\u0000,0754000951\nJuma,0754000952\n', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.json.data).toMatchObject({ received: 2, created: 1, failed: 1 });
    expect(csv.json.data.errors).toEqual([
      { row: 2, field: 'name', reason: expect.stringContaining('U+0000') },
    ]);
    const json = await send(
      t,
      key,
      JSON.stringify([
        { name: 'Lone \ud800', phone_number: '0754000953' },
        { name: 'Neema', phone_number: '0754000954' },
      ]),
      'application/json',
    );
    expect(json.json.data).toMatchObject({ created: 1, failed: 1, errors: [{ row: 1, field: 'name' }] });
    expect((await t.call('GET', '/v1/contacts/', { key })).json.data.pagination.total).toBe(2);
  });

  it('imports into the caller’s account only: another account’s same numbers are its own', async () => {
    const t = gateway();
    const a = await t.newAccount(10);
    const b = await t.newAccount(10);
    await t.call('POST', '/v1/contacts/create/', {
      key: b.key,
      body: { name: 'B', phone_number: '0754000901' },
    });
    const r = await send(t, a.key, 'name,phone_number\nA,0754000901\n', 'text/csv', '?on_conflict=update');
    expect(r.json.data).toMatchObject({ created: 1, updated: 0 });
    expect((await t.call('GET', '/v1/contacts/', { key: b.key })).json.data.contacts[0].name).toBe('B');
  });
});

describe('import at full size', () => {
  it('imports a 50,000-row CSV with 100 bad rows: exact counts, each bad row reported (timed by bench/import.ts)', async () => {
    const t = await createTestGateway();
    try {
      const lines = Array.from({ length: 50_000 }, (_, i) =>
        i % 500 === 499
          ? `Bad ${i},07540,`
          : `Mteja ${i},07${String(54_000_000 + i).padStart(8, '0')},${i % 2 ? 'dar' : ''}`,
      );
      const r = await t.call('POST', '/v1/contacts/import/', {
        body: `name,phone_number,tags\n${lines.join('\n')}\n`,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(r.json.data).toMatchObject({
        received: 50_000,
        created: 49_900,
        updated: 0,
        skipped: 0,
        failed: 100,
      });
      expect(r.json.data.errors.map((e: { row: number }) => e.row)).toEqual(
        Array.from({ length: 100 }, (_, k) => k * 500 + 499 + 2),
      );
      expect((await t.call('GET', '/v1/contacts/?tag=dar&per_page=1')).json.data.pagination.total).toBe(
        25_000 - 100, // every bad row is an odd one, and odd ones are tagged
      );
    } finally {
      await t.close();
    }
  }, 120_000);
});

describe('import limits', () => {
  it('takes a body past maxBodyBytes up to maxImportBytes, and refuses more rows than maxImportRows', async () => {
    const t = await createTestGateway({
      config: { maxBodyBytes: 1000, contacts: { maxImportBytes: 200_000, maxImportRows: 2000 } },
    });
    try {
      const rows = Array.from({ length: 1500 }, (_, i) => `M${i},07${String(54_100_000 + i)}`);
      const csv = `name,phone_number\n${rows.join('\n')}\n`;
      expect(csv.length).toBeGreaterThan(1000);
      const ok = await t.call('POST', '/v1/contacts/import/', {
        body: csv,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(ok.json.data).toMatchObject({ received: 1500, created: 1500 });
      const many = `name,phone_number\n${Array.from({ length: 2001 }, (_, i) => `N${i},07${String(55_100_000 + i)}`).join('\n')}`;
      const refused = await t.call('POST', '/v1/contacts/import/', {
        body: many,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({
        message: 'At most 2000 rows per import; this one has more',
        details: [{ field: '(body)', message: 'has more than 2000 rows' }],
      });
      const huge = await t.call('POST', '/v1/contacts/import/', {
        body: `name,phone_number\n${'x'.repeat(200_001)}`,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(huge.status).toBe(413);
      // Elsewhere the general limit holds.
      const big = await t.call('POST', '/v1/contacts/create/', {
        body: { name: 'x'.repeat(1200), phone_number: '0754000001' },
      });
      expect(big.status).toBe(413);
    } finally {
      await t.close();
    }
  });
});

describe.each(ENGINES)('segments: change, delete, preview members on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it('patches name and criteria (counted again), previews members paged, deletes', async () => {
    const t = gateway();
    const { key } = await t.newAccount(10);
    for (let i = 0; i < 5; i++)
      await t.call('POST', '/v1/contacts/create/', {
        key,
        body: {
          name: `M${i}`,
          phone_number: `07540011${i}0`,
          tags: i < 3 ? ['Dar'] : ['Arusha'],
          is_active: i !== 0,
        },
      });
    const seg = (
      await t.call('POST', '/v1/contacts/segments/create/', {
        key,
        body: { name: 'Dar', criteria: { tags: ['dar'] } },
      })
    ).json.data;
    expect(seg.contact_count).toBe(3);
    const members = async (q = '') =>
      (await t.call('GET', `/v1/contacts/segments/${seg.id}/contacts/${q}`, { key })).json.data;
    const first = await members('?per_page=2');
    expect(first.pagination).toEqual({ page: 1, per_page: 2, total: 3, total_pages: 2 });
    expect(
      [...first.contacts, ...(await members('?per_page=2&page=2')).contacts]
        .map((c: { name: string }) => c.name)
        .sort(),
    ).toEqual(['M0', 'M1', 'M2']);

    const renamed = await t.call('PATCH', `/v1/contacts/segments/${seg.id}/`, {
      key,
      body: { description: 'Dar es Salaam' },
    });
    expect(renamed.json.data).toMatchObject({ name: 'Dar', description: 'Dar es Salaam', contact_count: 3 });
    const narrowed = await t.call('PATCH', `/v1/contacts/segments/${seg.id}/`, {
      key,
      body: { name: 'Dar, active', criteria: { tags: ['DAR'], is_active: true } },
    });
    expect(narrowed.json.data).toMatchObject({
      name: 'Dar, active',
      criteria: { tags: ['dar'], is_active: true },
      contact_count: 2,
    });
    expect((await members()).pagination.total).toBe(2);
    expect((await t.call('GET', `/v1/contacts/segments/${seg.id}/`, { key })).json.data.contact_count).toBe(
      2,
    );

    for (const body of [{}, { criteria: { colour: 'red' } }, { name: '' }])
      expect(
        (await t.call('PATCH', `/v1/contacts/segments/${seg.id}/`, { key, body })).status,
        JSON.stringify(body),
      ).toBe(400);
    expect((await t.call('GET', `/v1/contacts/segments/${seg.id}/contacts/?q=x`, { key })).status).toBe(400);

    const removed = await t.call('DELETE', `/v1/contacts/segments/${seg.id}/`, { key });
    expect(removed.json.data).toMatchObject({ id: seg.id, name: 'Dar, active' });
    expect((await t.call('GET', `/v1/contacts/segments/${seg.id}/`, { key })).status).toBe(404);
    expect((await t.call('GET', '/v1/contacts/', { key })).json.data.pagination.total).toBe(5);
  });

  it('answers 404 on every verb for another account’s segment, and changes nothing of it', async () => {
    const t = gateway();
    const mine = await t.newAccount(10);
    const theirs = await t.newAccount(10);
    const seg = (
      await t.call('POST', '/v1/contacts/segments/create/', {
        key: theirs.key,
        body: { name: 'Siri', criteria: {} },
      })
    ).json.data;
    for (const [method, path, body] of [
      ['GET', '', undefined],
      ['GET', 'contacts/', undefined],
      ['PATCH', '', { name: 'Hacked' }],
      ['DELETE', '', undefined],
    ] as const) {
      const r = await t.call(method, `/v1/contacts/segments/${seg.id}/${path}`, { key: mine.key, body });
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect(
      (await t.call('GET', `/v1/contacts/segments/${seg.id}/`, { key: theirs.key })).json.data.name,
    ).toBe('Siri');
  });
});

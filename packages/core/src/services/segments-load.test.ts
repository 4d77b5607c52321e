import { expect, it } from 'vitest';
import { createTestGateway } from '../../test/harness';
import { recordingSqlite } from '../../test/recording-sqlite';

const CONTACTS = 20_000;
const TAGS = ['vip', 'shop', 'new', 'old', 'arusha', 'dodoma', 'mwanza', 'tanga'];

// Listing segments used to count each one's members over all the account's contacts, and held up other
// accounts' requests while it did. The counts are now kept per contacts version: a listing reads them,
// and counts again (a short statement per segment) only after the contacts changed. That is checked by
// the statements the listings run, not by how long another account's requests take meanwhile.
it('listing 40 segments over 20,000 contacts reads their kept counts while another account is answered: none counts the contacts until they change, then each segment once', {
  timeout: 120_000,
}, async () => {
  const recording = recordingSqlite();
  const overContacts = () => recording.statements.filter((sql) => /from "contact(s|_tags)"/.test(sql)).length;
  const g = await createTestGateway({ storage: recording.storage });
  try {
    const db = g.database.db;
    const rows = Array.from({ length: CONTACTS }, (_, i) => ({
      id: `ct_${String(i).padStart(6, '0')}`,
      account_id: g.account.id,
      name: `Contact ${i}`,
      phone: `+2557${String(10_000_000 + i)}`,
      email: null,
      search_name: `contact ${i}`,
      search_email: null,
      is_active: i % 3 === 0 ? 0 : 1,
      created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
      updated_at: new Date(Date.UTC(2024, 0, 1)).toISOString(),
    }));
    for (let i = 0; i < rows.length; i += 500)
      await db
        .insertInto('contacts')
        .values(rows.slice(i, i + 500))
        .execute();
    const tags = rows.flatMap((r, i) => [
      { contact_id: r.id, account_id: g.account.id, tag: TAGS[i % TAGS.length]! },
      { contact_id: r.id, account_id: g.account.id, tag: TAGS[(i * 7 + 3) % TAGS.length]! },
    ]);
    for (let i = 0; i < tags.length; i += 500)
      await db
        .insertInto('contact_tags')
        .values(tags.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    for (let i = 0; i < 40; i++) {
      const criteria = [
        {},
        { tags: [TAGS[i % TAGS.length]!, TAGS[(i + 1) % TAGS.length]!] },
        { is_active: i % 2 === 0 },
        { tags: [TAGS[i % TAGS.length]!], is_active: true, created_after: '2024-01-05' },
      ][i % 4];
      expect(
        (await g.call('POST', '/v1/contacts/segments/create/', { body: { name: `s${i}`, criteria } })).status,
      ).toBe(201);
    }

    const other = await g.newAccount();
    const counted = overContacts();
    let listing = true;
    let lists = 0;
    const lister = async () => {
      while (listing) {
        for (const page of [1, 2]) {
          const r = await g.call('GET', `/v1/contacts/segments/?page=${page}&per_page=20`);
          expect(r.status).toBe(200);
          lists++;
        }
      }
    };
    const listers = [lister(), lister(), lister()];
    for (let i = 0; i < 20; i++)
      expect((await g.call('GET', '/v1/sms/balance/', { key: other.key })).status).toBe(200);
    listing = false;
    await Promise.all(listers);
    expect(lists).toBeGreaterThan(0);
    expect(overContacts()).toBe(counted); // the counts kept when the segments were made

    // A contact more: the next listing counts each of its segments once, the one after reads them kept.
    const added = await g.call('POST', '/v1/contacts/create/', {
      body: { name: 'Mpya', phone_number: '+255754999999' },
    });
    expect(added.status).toBe(201);
    const before = overContacts();
    expect((await g.call('GET', '/v1/contacts/segments/?per_page=40')).status).toBe(200);
    expect(overContacts() - before).toBe(40);
    const after = overContacts();
    expect((await g.call('GET', '/v1/contacts/segments/?per_page=40')).status).toBe(200);
    expect(overContacts()).toBe(after);
  } finally {
    await g.close();
  }
});

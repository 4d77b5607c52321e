import { describe, expect, it } from 'vitest';
import { freshTestPostgres, openTestDatabase } from '../../test/databases';
import { createTestGateway } from '../../test/harness';

const contacts = [
  { name: 'A', phone_number: '+255754000001', tags: ['vip'], is_active: true },
  { name: 'B', phone_number: '+255754000002', tags: ['VIP', 'shop'], is_active: false },
  { name: 'C', phone_number: '+255754000003', tags: ['shop'] },
  { name: 'D', phone_number: '+255754000004' },
];
const segments = [
  { name: 'all' },
  { name: 'vip', criteria: { tags: ['vip'] } },
  { name: 'active shoppers', criteria: { tags: ['shop', 'none'], is_active: true } },
  { name: 'inactive', criteria: { is_active: false } },
  { name: 'future', criteria: { created_after: '2999-01-01' } },
];

const sqlite = async (maxBindParams?: number) => {
  const storage = openTestDatabase();
  return {
    storage: { ...storage, maxBindParams: maxBindParams ?? storage.maxBindParams },
    drop: async () => {},
  };
};
const postgres = async () => {
  const pg = await freshTestPostgres();
  return { storage: openTestDatabase(pg.url), drop: pg.drop };
};

describe.each([
  ['in one statement on SQLite', () => sqlite()],
  ['in one statement on PostgreSQL', postgres],
  ['under a small bind limit (D1 allows 100)', () => sqlite(4)],
])('segment member counts, %s', (_name, open) => {
  it('match each segment’s own search', async () => {
    const { storage, drop } = await open();
    const g = await createTestGateway({ storage });
    try {
      for (const body of contacts) await g.call('POST', '/v1/contacts/create/', { body });
      for (const body of segments) await g.call('POST', '/v1/contacts/segments/create/', { body });
      const listed = (await g.call('GET', '/v1/contacts/segments/')).json.data.segments;
      const counts = Object.fromEntries(
        listed.map((s: { name: string; contact_count: number }) => [s.name, s.contact_count]),
      );
      expect(counts).toEqual({ all: 4, vip: 2, 'active shoppers': 1, inactive: 1, future: 0 });
      for (const s of listed) {
        const members = await g.call('GET', `/v1/contacts/search/?segment_id=${s.id}`);
        expect(members.json.data.total, s.name).toBe(s.contact_count);
      }
      // Kept counts follow a change of the contacts.
      await g.call('POST', '/v1/contacts/create/', {
        body: { name: 'E', phone_number: '+255754000005', tags: ['vip'] },
      });
      const after = (await g.call('GET', '/v1/contacts/segments/')).json.data.segments;
      const recounted = Object.fromEntries(
        after.map((s: { name: string; contact_count: number }) => [s.name, s.contact_count]),
      );
      expect(recounted).toEqual({ all: 5, vip: 3, 'active shoppers': 1, inactive: 1, future: 0 });
      // By name: segments made in the same millisecond have no set order among them.
      const vip = after.find((s: { name: string }) => s.name === 'vip');
      expect((await g.call('GET', `/v1/contacts/segments/${vip.id}/`)).json.data.contact_count).toBe(3);
    } finally {
      await g.close();
      await drop();
    }
  });
});

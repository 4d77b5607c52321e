import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { createTestGateway } from '../../test/harness';
import { systemClock } from '../clock';
import { configSchema } from '../config';
import { GatewayError } from '../errors';
import { createStore } from '../storage/store';
import { createContactImport } from './contact-import';

const HEADER = 'name,phone_number,email,tags,is_active';

describe.each(ENGINES)('contact import on %s', (_engine, open) => {
  async function setup(maxImportRows = 50_000) {
    const fresh = await open();
    const g = await createTestGateway({ storage: fresh.storage });
    const importer = createContactImport({
      store: createStore(g.database),
      clock: systemClock,
      config: configSchema.parse({ contacts: { maxImportRows } }),
    });
    const { account, key } = await g.newAccount(100);
    const contacts = async () =>
      (await g.call('GET', '/v1/contacts/search/?limit=100', { key })).json.data.contacts as {
        name: string;
        phone_number: string;
        email: string | null;
        tags: string[];
        is_active: boolean;
      }[];
    return {
      g,
      importer,
      accountId: account.id,
      key,
      contacts,
      async close() {
        await g.close();
        await fresh.drop();
      },
    };
  }

  it('stores the good rows (national numbers read in the default region) and reports each bad one', async () => {
    const t = await setup();
    try {
      const csv = [
        HEADER,
        'Juma Ally,0754 000 101,juma@example.co.tz,Arusha; wateja ,true',
        '"Mama ""Neema"", Duka",+255754000102,,,no',
        'No Number,07540,,,',
        'Bad Mail,0754000104,not-an-email,,',
        'Short,0754000105,,',
        ',0754000106,,,',
        'Maybe,0754000107,,,perhaps',
        'Juma twice,255754000101,,,',
        '',
        'Last,0754000108,,,1',
      ].join('\r\n');
      const report = await t.importer.importCsv(t.accountId, csv, 'skip');
      expect(report).toEqual({
        received: 9,
        created: 3,
        updated: 0,
        skipped: 0,
        failed: 6,
        errors: [
          { row: 4, field: 'phone_number', reason: 'wrong length for its country' },
          { row: 5, field: 'email', reason: expect.stringMatching(/email/i) },
          { row: 6, field: null, reason: 'has 4 fields, the header 5' },
          { row: 7, field: 'name', reason: 'name must not be empty' },
          { row: 8, field: 'is_active', reason: expect.any(String) },
          { row: 9, field: 'phone_number', reason: '+255754000101 repeats row 2' },
        ],
      });
      const stored = await t.contacts();
      expect(stored.map((c) => [c.name, c.phone_number, c.email, c.tags, c.is_active]).sort()).toEqual(
        [
          ['Juma Ally', '+255754000101', 'juma@example.co.tz', ['Arusha', 'wateja'], true],
          ['Mama "Neema", Duka', '+255754000102', null, [], false],
          ['Last', '+255754000108', null, [], true],
        ].sort(),
      );
    } finally {
      await t.close();
    }
  });

  it('skips or updates numbers already there; a row without a column keeps that value', async () => {
    const t = await setup();
    try {
      await t.importer.importCsv(
        t.accountId,
        `${HEADER}\nAsha,0754000201,asha@example.co.tz,old;vip,true`,
        'skip',
      );
      const skip = await t.importer.importCsv(t.accountId, `${HEADER}\nAsha M,0754000201,,new,false`, 'skip');
      expect(skip).toMatchObject({ received: 1, created: 0, updated: 0, skipped: 1, failed: 0 });
      expect((await t.contacts())[0]).toMatchObject({ name: 'Asha', tags: ['old', 'vip'] });

      const update = await t.importer.importCsv(
        t.accountId,
        'phone_number,name,tags\n0754000201,Asha Mushi,new\n0754000202,Baraka,',
        'update',
      );
      expect(update).toMatchObject({ received: 2, created: 1, updated: 1, skipped: 0, failed: 0 });
      const [baraka, asha] = await t.contacts();
      expect(asha).toMatchObject({
        name: 'Asha Mushi',
        email: 'asha@example.co.tz',
        tags: ['new'],
        is_active: true,
      });
      expect(baraka).toMatchObject({ name: 'Baraka', tags: [] });

      const json = await t.importer.importJson(
        t.accountId,
        JSON.stringify([
          { name: 'Asha', phone_number: '0754000201', is_active: false },
          { name: 'X', phone_number: '0754000203', colour: 'red' },
          'Y',
        ]),
        'update',
      );
      expect(json.errors).toEqual([
        { row: 2, field: 'colour', reason: 'unknown field' },
        { row: 3, field: null, reason: 'must be an object' },
      ]);
      expect((await t.contacts()).find((c) => c.phone_number === '+255754000201')).toMatchObject({
        name: 'Asha',
        tags: ['new'],
        is_active: false,
      });
    } finally {
      await t.close();
    }
  });

  it('refuses a file it cannot read, or with unknown, missing or repeated columns, or too many rows, storing nothing', async () => {
    const t = await setup(3);
    try {
      const refused = async (csv: string) => {
        const e = await t.importer.importCsv(t.accountId, csv, 'skip').catch((x: unknown) => x);
        expect(e).toBeInstanceOf(GatewayError);
        return e as GatewayError;
      };
      expect((await refused('name,phone_number,colour\nA,0754000301,red')).details).toEqual([
        { field: 'colour', message: 'unknown column' },
      ]);
      expect((await refused('name,email\nA,a@example.co.tz')).details).toEqual([
        { field: 'phone_number', message: 'missing column' },
      ]);
      expect((await refused('name,phone_number,name\nA,0754000301,B')).details).toEqual([
        { field: 'name', message: 'repeated column' },
      ]);
      expect((await refused('name,phone_number\n"A,0754000301')).message).toContain('line 2');
      expect((await refused('')).message).toContain('header');
      const many = await refused(
        `name,phone_number\n${['1', '2', '3', '4'].map((n) => `A${n},075400030${n}`).join('\n')}`,
      );
      expect(many.message).toBe('At most 3 rows per import; this one has more');
      expect(many.details).toEqual([{ field: '(body)', message: 'has more than 3 rows' }]);
      expect(await t.contacts()).toEqual([]);
    } finally {
      await t.close();
    }
  });

  it('imports thousands of rows in one go, and segment counts see them', async () => {
    const t = await setup();
    try {
      const seg = (
        await t.g.call('POST', '/v1/contacts/segments/create/', {
          key: t.key,
          body: { name: 'Dar', criteria: { tags: ['dar'] } },
        })
      ).json.data;
      expect(seg.contact_count).toBe(0);
      const rows = Array.from(
        { length: 5000 },
        (_, i) => `Mteja ${i},07${String(54_000_000 + i).padStart(8, '0')},,${i % 2 ? 'dar' : 'arusha'},`,
      );
      const report = await t.importer.importCsv(t.accountId, [HEADER, ...rows].join('\n'), 'skip');
      expect(report).toMatchObject({ received: 5000, created: 5000, failed: 0 });
      const again = (await t.g.call('GET', `/v1/contacts/segments/${seg.id}/`, { key: t.key })).json.data;
      expect(again.contact_count).toBe(2500);
    } finally {
      await t.close();
    }
  });

  it('two imports of the same numbers at once store each number once', async () => {
    const t = await setup();
    try {
      const csv = [
        HEADER,
        ...Array.from({ length: 300 }, (_, i) => `M${i},0754${String(500_000 + i)},,t${i % 3},`),
      ].join('\n');
      const [a, b] = await Promise.all([
        t.importer.importCsv(t.accountId, csv, 'update'),
        t.importer.importCsv(t.accountId, csv, 'update'),
      ]);
      expect(a.created + b.created).toBe(300);
      expect(a.updated + b.updated).toBe(300);
      const total = (await t.g.call('GET', '/v1/contacts/search/?limit=1', { key: t.key })).json.data.total;
      expect(total).toBe(300);
    } finally {
      await t.close();
    }
  });

  describe('an import bomb (a body of millions of tiny rows) is refused at the first row past the limit', () => {
    // Each bomb ends in text that cannot be read: an importer that reads the whole body says so, one
    // that stops at the row past the limit never gets there and refuses with the limit.
    const rowLimit = { code: 'VALIDATION_ERROR', message: 'At most 1000 rows per import; this one has more' };

    it('CSV: 2,000,000 one-character rows', async () => {
      const t = await setup(1000);
      try {
        const csv = `name,phone_number\n${'a\n'.repeat(2_000_000)}"unclosed`;
        await expect(t.importer.importCsv(t.accountId, csv, 'skip')).rejects.toMatchObject(rowLimit);
        expect(await t.contacts()).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('JSON: an array of 2,000,000 elements', async () => {
      const t = await setup(1000);
      try {
        const json = `[${'1,'.repeat(2_000_000)}{`;
        await expect(t.importer.importJson(t.accountId, json, 'skip')).rejects.toMatchObject(rowLimit);
        expect(await t.contacts()).toEqual([]);
      } finally {
        await t.close();
      }
    });

    it('exactly the limit is read and stored', async () => {
      const t = await setup(1000);
      try {
        const rows = Array.from({ length: 1000 }, (_, i) => `M${i},0754${String(600_000 + i)}`);
        const csv = await t.importer.importCsv(
          t.accountId,
          `name,phone_number\n${rows.join('\n')}\n\n`,
          'skip',
        );
        expect(csv).toMatchObject({ received: 1000, created: 1000 });
        const json = JSON.stringify(rows.map((r) => ({ name: 'J', phone_number: r.split(',')[1] })));
        expect(await t.importer.importJson(t.accountId, json, 'update')).toMatchObject({
          received: 1000,
          updated: 1000,
        });
      } finally {
        await t.close();
      }
    });
  });

  it('a header of 400,000 columns is refused naming the first ones, past which it is not read', async () => {
    // Each column compared with every other, this header held the process for minutes (100,000: 12 s).
    const t = await setup();
    try {
      const header = Array.from({ length: 400_000 }, (_, i) => `c${i % 200_000}`);
      const e = await t.importer
        .importCsv(t.accountId, `name,phone_number,${header.join(',')}\nA,0754000301`, 'skip')
        .catch((x: unknown) => x);
      expect(e).toMatchObject({
        code: 'VALIDATION_ERROR',
        details: ['c0', 'c1', 'c2', 'c3'].map((field) => ({ field, message: 'unknown column' })),
      });
    } finally {
      await t.close();
    }
  });

  it('a row far wider than a contact is refused on its own, without holding its every field', async () => {
    const t = await setup();
    try {
      const csv = `${HEADER}\nWide,0754000401${','.repeat(1_000_000)}\nAsha,0754000402,,,`;
      expect(await t.importer.importCsv(t.accountId, csv, 'skip')).toMatchObject({
        received: 2,
        created: 1,
        errors: [{ row: 2, field: null, reason: 'has more than 5 fields, the header 5' }],
      });
      const keys = Array.from({ length: 100_000 }, (_, i) => `"k${i}":1`).join(',');
      const tags = JSON.stringify(Array.from({ length: 100_000 }, () => 1));
      const json = `[{"name":"A","phone_number":"0754000403",${keys}},{"name":"B","phone_number":"0754000404","tags":${tags}},{"name":"C","phone_number":"0754000405"}]`;
      expect(await t.importer.importJson(t.accountId, json, 'skip')).toMatchObject({
        received: 3,
        created: 1,
        errors: [
          {
            row: 1,
            field: null,
            reason: 'has 100002 fields; a contact has name, phone_number, email, tags, is_active',
          },
          { row: 2, field: 'tags', reason: 'has 100000 tags; a contact has at most 50' },
        ],
      });
    } finally {
      await t.close();
    }
  });

  it('a large file is read in chunks, letting other work run before it answers', async () => {
    const t = await setup(5000);
    try {
      // 5,001 rows: refused at the end of reading, before any database work could let a timer run.
      const csv = `name,phone_number\n${'a,b\n'.repeat(5001)}`;
      const answered = t.importer.importCsv(t.accountId, csv, 'skip').catch((e: unknown) => e);
      let ranMeanwhile = false;
      setTimeout(() => {
        ranMeanwhile = true;
      }, 0);
      expect(await answered).toMatchObject({ message: 'At most 5000 rows per import; this one has more' });
      expect(ranMeanwhile).toBe(true);
    } finally {
      await t.close();
    }
  });
});

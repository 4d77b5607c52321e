import { describe, expect, it } from 'vitest';
import { ENGINES } from '../../test/databases';
import { gatewayOn } from '../../test/harness';

const NUL = '\u0000';
const LONE = '\uD83D';

/** Requests carrying text no engine stores (or no SMS carries) in one field; the field the error must name. */
const cases: [string, string, string, unknown, string][] = [
  ['message', 'POST', '/v1/sms/send/', { message: `hi${NUL}`, recipients: ['+255754000111'] }, 'message'],
  [
    'recipient',
    'POST',
    '/v1/sms/send/',
    { message: 'hi', recipients: [`+255754000111${NUL}`] },
    'recipients.0',
  ],
  [
    'sender',
    'POST',
    '/v1/sms/quote/',
    { message: 'hi', recipients: ['+255754000111'], sender_id: `M${NUL}` },
    'sender_id',
  ],
  [
    'webhook URL',
    'POST',
    '/v1/sms/send/',
    { message: 'hi', recipients: ['+255754000111'], webhook_url: `https://x.test/${NUL}` },
    'webhook_url',
  ],
  [
    'lone surrogate',
    'POST',
    '/v1/sms/send/',
    { message: `hi${LONE}`, recipients: ['+255754000111'] },
    'message',
  ],
  [
    'contact name',
    'POST',
    '/v1/contacts/create/',
    { name: `A${NUL}`, phone_number: '+255754000111' },
    'name',
  ],
  [
    'contact tag',
    'POST',
    '/v1/contacts/create/',
    { name: 'A', phone_number: '+255754000111', tags: [`v${NUL}`] },
    'tags.0',
  ],
  [
    'segment tag',
    'POST',
    '/v1/contacts/segments/create/',
    { name: 'S', criteria: { tags: [`v${NUL}`] } },
    'criteria.tags.0',
  ],
  ['unknown key', 'POST', '/v1/keys/', { name: 'k', permissions: ['read'], [`x${NUL}`]: 1 }, `x${NUL}`],
  ['path id', 'GET', '/v1/sms/status/msg%00x/', undefined, 'path'],
  ['segment path id', 'GET', '/v1/contacts/segments/seg%00/', undefined, 'path'],
  ['search query', 'GET', '/v1/contacts/search/?q=%00', undefined, 'q'],
  ['segment_id query', 'GET', '/v1/contacts/search/?segment_id=seg%00', undefined, 'segment_id'],
  ['report date', 'GET', '/v1/sms/delivery-reports/?start_date=2024%00', undefined, 'start_date'],
];

describe.each(ENGINES)('text that cannot be stored, on %s', (_engine, open) => {
  const gateway = gatewayOn(open);

  it.each(cases)(
    '%s: VALIDATION_ERROR naming the field, nothing written',
    async (_name, method, path, body, field) => {
      const g = gateway();
      const r = await g.call(method, path, { body });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ success: false, error_code: 'VALIDATION_ERROR' });
      expect(r.json.details.map((d: { field: string }) => d.field)).toContain(field);
      for (const table of ['messages', 'contacts', 'segments', 'contact_tags'] as const) {
        const rows = await g.database.db.selectFrom(table).selectAll().execute();
        expect(rows, table).toEqual([]);
      }
      // The account's lists still answer.
      expect((await g.call('GET', '/v1/contacts/segments/')).status).toBe(200);
    },
  );

  it('the in-process API refuses the same', async () => {
    const g = gateway();
    await expect(
      g.mifumo.api.send(g.account.id, { message: `x${NUL}`, recipients: ['+255754000111'] }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', details: [{ field: 'message' }] });
    await expect(
      g.mifumo.api.contacts.create(g.account.id, { name: `x${NUL}`, phone_number: '+255754000111' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

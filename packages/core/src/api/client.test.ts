import { hc } from 'hono/client';
import { expect, expectTypeOf, it } from 'vitest';
import { createTestGateway } from '../../test/harness';
import type { Mifumo } from '../mifumo';

it('hc<typeof mifumo.app> is a typed client of every route', async () => {
  const g = await createTestGateway();
  try {
    const client = hc<Mifumo['app']>('http://gateway.test/', {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => g.mifumo.app.request(input, init),
      headers: { Authorization: `Bearer ${g.key}` },
    });

    const sent = await client.v1.sms.send.$post({
      json: { message: 'Habari', recipients: ['+255754000111'] },
    });
    const body = await sent.json();
    expectTypeOf(body.data.message_id).toEqualTypeOf<string>();
    expectTypeOf(body.data.status).toEqualTypeOf<'queued' | 'scheduled'>();
    expect(body).toMatchObject({ success: true, data: { status: 'queued', cost: 10 } });

    const status = await client.v1.sms.status[':message_id'].$get({
      param: { message_id: body.data.message_id },
    });
    expect((await status.json()).data.recipients).toHaveLength(1);

    const reports = await client.v1.sms['delivery-reports'].$get({ query: { per_page: '10' } });
    expectTypeOf((await reports.json()).data.pagination.total).toEqualTypeOf<number>();

    const inbound = await client.v1.sms.inbound.$get({ query: { keyword: 'duka' } });
    const listed = (await inbound.json()).data;
    expectTypeOf<(typeof listed.messages)[number]['in_reply_to']>().toEqualTypeOf<string | null>();
    expect(listed.messages).toEqual([]);
    const one = await client.v1.sms.inbound[':inbound_id'].$get({ param: { inbound_id: 'in_nothing' } });
    expect(one.status).toBe(404);
    const numbers = await client.v1.numbers.$get();
    expect((await numbers.json()).data.numbers).toEqual([]);
    const reply = await client.v1.sms.send.$post({ json: { message: 'Asante', reply_to: 'in_nothing' } });
    expect(reply.status).toBe(404);

    const segment = await client.v1.contacts.segments.create.$post({
      json: { name: 'VIP', criteria: { tags: ['vip'] } },
    });
    expect((await segment.json()).data.contact_count).toBe(0);

    // @ts-expect-error: the send body is checked at compile time too
    expect(() => client.v1.sms.send.$post({ json: { message: 1 } })).toBeDefined();
    // @ts-expect-error: no such route
    expect(client.v1.sms.nothing).toBeDefined();
  } finally {
    await g.close();
  }
});

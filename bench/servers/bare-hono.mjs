// The peer: a bare Hono handler on @hono/node-server answering the send endpoint's JSON, with no work behind it.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const body = {
  success: true,
  message: 'SMS sent successfully',
  data: {
    message_id: 'msg_0123456789abcdefghij',
    recipients: ['+255754000111'],
    status: 'queued',
    sender_id: 'MIFUMO',
    cost: 10,
    currency: 'TZS',
    segments: 1,
    encoding: 'GSM-7',
    schedule_time: null,
    recipient_costs: [{ phone: '+255754000111', cost: 10 }],
  },
  error_code: null,
  details: null,
};

const app = new Hono();
app.post('/api/integration/v1/sms/send/', async (c) => {
  await c.req.json();
  return c.json(body);
});
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () =>
  console.log('ready'),
);

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { z } from 'zod';
import { ok } from '../../api/envelope';
import { sendSchema } from '../../api/schemas';
import type { Services } from '../../api/services';
import { normalizePhone } from '../../domain/phone';
import { GatewayError, invalidField } from '../../errors';
import { randomToken } from '../../ids';
import type { AudienceInput } from '../../services/campaigns/audience';
import type { QuoteResult, SendInput } from '../../services/send/types';
import { figuresOf, utcOfLocal, withFix } from '../compose';
import type { FormState } from '../fields';
import { forms, parseForm } from '../forms';
import type { Translator } from '../i18n/translate';
import { readNumbers } from '../numbers';
import { type ContactChoice, costLine, SendPage } from '../pages/send';
import { type Refusal, refusalOf } from '../refusal';
import * as dash from './context';

type Posted = z.output<typeof forms.send>;

/** The field a refusal of the send is shown beside, by its code. */
const FIELD_OF = {
  INVALID_PHONE: 'numbers',
  RECIPIENT_OPTED_OUT: 'numbers',
  UNSUPPORTED_DESTINATION: 'numbers',
  NO_ROUTE: 'numbers',
  INVALID_SENDER_ID: 'sender_id',
  INSUFFICIENT_BALANCE: 'cost',
  MESSAGE_TOO_LONG: 'message',
  NOT_FOUND: 'segment_id',
} as const;

/** A refusal's fields as the form names them: the send's `recipients` are the numbers, each contact the list. */
function onTheForm(form: FormState): FormState {
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(form.errors)) {
    const name = field === 'recipients' ? 'numbers' : field.startsWith('contact_ids') ? 'contact_ids' : field;
    errors[name] = errors[name] ? `${errors[name]}; ${message}` : message;
  }
  return { ...form, errors };
}

/**
 * The Send page: a message to numbers, contacts and a segment, sent through the API's sender (priced,
 * charged, limited, suppressed and its sender ID checked alike); its JSON preview for the page's script.
 */
export function sendRoutes(s: Services, { counted }: dash.DashboardGuards) {
  const app = new Hono<dash.DashboardEnv>();
  const phones = {
    defaultRegion: s.config.defaultRegion,
    strict: s.config.messages.strictPhoneValidation,
  };
  const check = (input: string) => normalizePhone(input, phones);

  /** The send the form asks for, as the API takes it: its numbers, then its contacts' and its segment's. */
  async function sendInput(c: dash.Ctx, f: Posted): Promise<SendInput> {
    const accountId = dash.accountOf(c);
    const members = async (input: AudienceInput) =>
      (await s.audiences(accountId, input, { suppress: false })).members.map((m) => m.phone);
    const recipients = [
      ...readNumbers(f.numbers ?? '', check).map((n) => n.input),
      ...(f.contact_ids.length ? await members({ contact_ids: f.contact_ids }) : []),
      ...(f.segment_id === undefined ? [] : await members({ segment_id: f.segment_id })),
    ];
    let scheduleTime: string | undefined;
    if (f.schedule_time !== undefined) {
      const at = utcOfLocal(f.schedule_time, c.get('view').zone);
      if (at === null) throw invalidField('schedule_time', 'must be a date and time');
      scheduleTime = at;
    }
    return parseForm(sendSchema, {
      message: f.message,
      recipients: recipients.length ? recipients : undefined,
      sender_id: f.sender_id,
      schedule_time: scheduleTime,
      traffic_class: f.traffic_class,
    });
  }

  /** The quote of the send (as the API's quote endpoint makes it); null while it has no recipients. */
  async function quoteOf(c: dash.Ctx, f: Posted): Promise<QuoteResult | null> {
    const input = await sendInput(c, f);
    if (input.recipients === undefined) return null;
    const { balance } = await s.admin.getAccount(dash.accountOf(c));
    return s.sender.quote(dash.principalOf(c), input, balance);
  }

  /** The quote, or null when the send would be refused (the reason is shown when it is sent or previewed). */
  async function quietQuote(c: dash.Ctx, f: Posted) {
    try {
      return await quoteOf(c, f);
    } catch (e) {
      if (e instanceof GatewayError && e.status < 500) return null;
      throw e;
    }
  }

  /** The sender IDs the account may choose: its approved ones (those for some operators naming them) and the gateway's. */
  async function senders(accountId: string, t: Translator) {
    const { sender_ids } = await s.senderIds.list(accountId, { page: 1, per_page: 100 });
    // Those approved for every operator first: the first is the one chosen at the start.
    return sender_ids
      .filter((v) => v.status === 'approved' || v.status === 'partial')
      .sort((a, b) => Number(a.status === 'partial') - Number(b.status === 'partial'))
      .map((v) => ({
        value: v.sender_id,
        label:
          v.status === 'approved'
            ? v.sender_id
            : t('send.senderPartial', {
                id: v.sender_id,
                operators: v.operators
                  .filter((o) => o.status === 'approved')
                  .map((o) => o.operator)
                  .join(', '),
              }),
      }));
  }

  const choice = (c: ContactChoice): ContactChoice => ({
    id: c.id,
    name: c.name,
    phone_number: c.phone_number,
  });

  async function sendPage(
    c: dash.Ctx,
    f: Posted | null,
    form: FormState,
    extra: { error?: Refusal; quote?: QuoteResult | null } = {},
  ) {
    const ctx = dash.pageContext(c);
    const accountId = dash.accountOf(c);
    const [senderIds, segments, chosen, found] = await Promise.all([
      senders(accountId, ctx.t),
      s.segments.listSegments(accountId, { page: 1, per_page: 100 }),
      Promise.all((f?.contact_ids ?? []).map((id) => s.contacts.get(accountId, id).then(choice, () => null))),
      f?.contact_q === undefined
        ? null
        : s.contacts.search(accountId, { q: f.contact_q, limit: 20, offset: 0 }),
    ]);
    return (
      <SendPage
        ctx={ctx}
        form={form}
        error={extra.error}
        token={f?.send_token ?? randomToken(22)}
        senders={senderIds}
        segments={segments.segments}
        chosen={chosen.filter((x) => x !== null)}
        found={found?.contacts.map(choice) ?? null}
        read={readNumbers(f?.numbers ?? '', check)}
        figures={figuresOf(f?.message ?? '')}
        cost={costLine(ctx, extra.quote ?? null)}
      />
    );
  }

  const action = (c: dash.Ctx) => `${dash.rootOf(c)}/send`;

  app.on('GET', dash.both('/dashboard/send'), ...counted, async (c) => {
    parseForm(forms.empty, dash.listing(c).values);
    return dash.html(c, await sendPage(c, null, { action: action(c), values: {}, errors: {} }));
  });

  // Preview (or no button: Enter in a field), find contacts, fix a character: the form comes back with
  // what was typed; Send sends it once, whatever number of times the same form is submitted.
  app.on('POST', dash.both('/dashboard/send'), ...counted, async (c) => {
    let f: Posted | null = null;
    try {
      f = parseForm(forms.send, c.get('form'));
      if (f.fix !== undefined) f = { ...f, message: withFix(f.message, f.fix) };
      const form = { action: action(c), values: { ...c.get('form'), message: f.message }, errors: {} };
      if (f.fix !== undefined || f.intent === 'find')
        return dash.html(c, await sendPage(c, f, form, { quote: await quietQuote(c, f) }));
      if (f.intent !== 'send')
        return dash.html(c, await sendPage(c, f, form, { quote: await quoteOf(c, f) }));
      const sent = await s.sender.send(dash.principalOf(c), await sendInput(c, f), {
        idempotencyKey: `dashboard-send:${f.send_token}`,
      });
      return dash.back(
        c,
        `/messages/${encodeURIComponent(sent.message_id)}/`,
        sent.status === 'scheduled' ? 'message-scheduled' : 'message-sent',
      );
    } catch (e) {
      const posted = f;
      return dash.refused(c, e, (error, form) => sendPage(c, posted, onTheForm(form), { error }), FIELD_OF);
    }
  });

  // The script's preview: the server's figures and the cost line (or why it would be refused), as JSON.
  app.on('POST', dash.both('/dashboard/send/preview'), ...counted, async (c) => {
    const ctx = dash.pageContext(c);
    const f = parseForm(forms.send, c.get('form'));
    let cost: string;
    try {
      cost = costLine(ctx, await quoteOf(c, f));
    } catch (e) {
      if (!(e instanceof GatewayError) || e.status >= 500) throw e;
      cost = refusalOf(e, ctx.t).message;
    }
    return ok(c, 'Preview calculated; nothing was sent or charged', { figures: figuresOf(f.message), cost });
  });
  return app;
}

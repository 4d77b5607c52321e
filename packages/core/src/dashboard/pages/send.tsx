/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { QuoteResult } from '../../services/send/types';
import { type Figures, SCRIPT_TABLES } from '../compose';
import { COMPOSE_SCRIPT } from '../compose-script';
import { Field, FieldError, FieldFrame, type FormState, SelectField, TextAreaField, ticked } from '../fields';
import { Csrf, Notices, Page, type PageContext } from '../layout';
import type { ReadNumber } from '../numbers';
import type { Refusal } from '../refusal';

/** A contact as the Send page offers it. */
export interface ContactChoice {
  id: string;
  name: string;
  phone_number: string;
}

export interface SendPageProps {
  ctx: PageContext;
  /** The form as it was posted (previewed, searched, fixed or refused); absent: a fresh one. */
  form: FormState;
  error?: Refusal | undefined;
  /** The form's one-time token: a second submit of the same form sends nothing twice. */
  token: string;
  senders: readonly { value: string; label: string }[];
  segments: readonly { id: string; name: string; contact_count: number }[];
  /** The contacts ticked, then those the search found (null: no search). */
  chosen: readonly ContactChoice[];
  found: readonly ContactChoice[] | null;
  read: readonly ReadNumber[];
  figures: Figures;
  /** The cost line (see `costLine`). */
  cost: string;
}

/** What a send would cost against the balance, in the page's language (a quote of it, or none yet). */
export function costLine({ t, fmt }: PageContext, quote: QuoteResult | null): string {
  if (quote === null) return t('send.costNone');
  const cost = fmt.money(quote.cost, quote.currency);
  const balance = fmt.money(quote.balance, quote.currency);
  const line = quote.balance_sufficient
    ? t('send.costOf', {
        cost,
        recipients: t.count('recipient', quote.recipient_costs.length),
        segments: t.count('segment', quote.segments),
        balance,
      })
    : t('send.costLow', { cost, balance });
  const out = quote.suppressed.map((s) => s.phone).join(', ');
  return out ? `${line} ${t('send.suppressed', { phones: out })}` : line;
}

/** `’ U+2019`: a character and its code point (some are invisible). */
const named = (char: string) =>
  `${char} U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Encoding, segments and characters left; the characters forcing UCS-2, each with its fix. */
function FiguresPanel({
  ctx,
  figures,
  cost,
  form,
}: {
  ctx: PageContext;
  figures: Figures;
  cost: string;
  form: FormState;
}) {
  const { t, fmt } = ctx;
  return (
    <section class="panel" aria-labelledby="figures-h" aria-live="polite">
      <h2 id="figures-h">{t('send.figures')}</h2>
      <dl>
        <dt>{t('send.encoding')}</dt>
        <dd id="f-encoding">{figures.encoding}</dd>
        <dt>{t('send.segments')}</dt>
        <dd id="f-segments">{fmt.number(figures.segments)}</dd>
        <dt>{t('send.left')}</dt>
        <dd id="f-left">{fmt.number(figures.left)}</dd>
      </dl>
      <div
        id="f-forcing"
        role="alert"
        hidden={figures.forcing.length === 0}
        data-fix={t('send.replaceWith', { fix: '{fix}' })}
        data-remove={t('send.removeIt')}
        data-nofix={t('send.noReplacement')}
      >
        <p>{t('send.ucs2Warning')}</p>
        <ul>
          {figures.forcing.map((c) => (
            <li>
              <code>{named(c.char)}</code>{' '}
              {c.fix === null ? (
                t('send.noReplacement')
              ) : (
                <button type="submit" name="fix" value={c.char} class="secondary" formnovalidate>
                  {c.fix === '' ? t('send.removeIt') : t('send.replaceWith', { fix: c.fix })}
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
      <p id="f-cost">{cost}</p>
      <FieldError form={form} name="cost" id="f-cost" />
    </section>
  );
}

/** Numbers typed or pasted, contacts found and ticked, a segment. */
function Audience(p: SendPageProps) {
  const { ctx, form, read } = p;
  const { t } = ctx;
  const invalid = read.filter((n) => n.e164 === null);
  const ticks = ticked(form, 'contact_ids', []);
  const choices = [...p.chosen, ...(p.found ?? []).filter((c) => !p.chosen.some((x) => x.id === c.id))];
  return (
    <section class="panel">
      <h2>{t('send.recipients')}</h2>
      <TextAreaField
        form={form}
        name="numbers"
        id="numbers"
        label={t('send.numbers')}
        attributes={{ rows: 3, inputmode: 'tel', 'aria-describedby': 'numbers-read' }}
      />
      <div id="numbers-read" class="hint">
        <p class="hint">{t('send.numbersHint')}</p>
        {read.length ? (
          <p class="hint">
            {t('send.numbersRead', { valid: read.length - invalid.length, invalid: invalid.length })}
          </p>
        ) : null}
        {invalid.length ? (
          <ul class="field-error">
            {invalid.map((n) => (
              <li>{t('send.notValid', { input: n.input, reason: n.reason ?? '' })}</li>
            ))}
          </ul>
        ) : null}
      </div>
      <FieldFrame form={form} name="contact_ids" id="contact_q" label={t('send.contactQ')}>
        <div class="search-row">
          <input type="search" id="contact_q" name="contact_q" value={String(form.values.contact_q ?? '')} />
          <button type="submit" name="intent" value="find" class="secondary" formnovalidate>
            {t('send.find')}
          </button>
        </div>
      </FieldFrame>
      {p.found !== null && p.found.length === 0 ? <p class="muted">{t('send.noContactsFound')}</p> : null}
      {choices.length ? (
        <fieldset>
          <legend>{t('send.contacts')}</legend>
          <p class="hint">{t('send.chooseHint')}</p>
          {choices.map((c) => (
            <label>
              <input type="checkbox" name="contact_ids" value={c.id} checked={ticks.includes(c.id)} />{' '}
              {c.name} <span class="mono">{c.phone_number}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
      <SelectField
        form={form}
        name="segment_id"
        id="segment_id"
        label={t('send.segment')}
        start=""
        options={[
          { value: '', label: t('send.noSegment') },
          ...p.segments.map((s) => ({
            value: s.id,
            label: t('send.segmentOption', { name: s.name, members: s.contact_count }),
          })),
        ]}
      />
    </section>
  );
}

/**
 * The Send page: recipients, the message and how to send it, its length and cost as it is typed (a
 * nonce'd script counts with the encoding module's tables; without it, Preview renders the same figures).
 */
export function SendPage(p: SendPageProps) {
  const { ctx, form } = p;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('nav.send')} current="/send">
      <Notices error={p.error} />
      <form
        method="post"
        action={`${ctx.root}/send`}
        id="compose"
        data-gsm={SCRIPT_TABLES}
        data-preview={`${ctx.root}/send/preview`}
      >
        <Csrf ctx={ctx} />
        <input type="hidden" name="send_token" value={p.token} />
        <Audience {...p} />
        <section class="panel">
          <h2>{t('send.compose')}</h2>
          <div class="fields">
            <SelectField
              form={form}
              name="sender_id"
              id="sender_id"
              label={t('send.senderId')}
              start={p.senders[0]?.value ?? ''}
              options={p.senders}
            />
            <SelectField
              form={form}
              name="traffic_class"
              id="traffic_class"
              label={t('send.trafficClass')}
              start="transactional"
              options={[
                { value: 'transactional', label: t('send.transactional') },
                { value: 'promotional', label: t('send.promotional') },
              ]}
            />
            <Field
              form={form}
              name="schedule_time"
              id="schedule_time"
              label={t('send.schedule')}
              hint={t('send.scheduleHint', { zone: ctx.fmt.zone })}
              attributes={{ type: 'datetime-local' }}
            />
          </div>
          <p class="hint">{t('send.senderHint')}</p>
          <TextAreaField
            form={form}
            name="message"
            id="message"
            label={t('send.text')}
            attributes={{ rows: 5, maxlength: 10_000 }}
          />
        </section>
        <FiguresPanel ctx={ctx} figures={p.figures} cost={p.cost} form={form} />
        <p class="actions">
          <button type="submit" name="intent" value="preview" class="secondary">
            {t('send.preview')}
          </button>{' '}
          <button type="submit" name="intent" value="send">
            {t('send.send')}
          </button>
        </p>
      </form>
      <script nonce={ctx.nonce}>{raw(COMPOSE_SCRIPT)}</script>
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { TEMPLATE_FIELDS } from '../../domain/message-template';
import { TRAFFIC_CLASSES } from '../../domain/traffic-class';
import type { Campaigns } from '../../services/campaigns/campaigns';
import type { Contacts } from '../../services/contacts';
import type { Segments } from '../../services/segments';
import {
  Field,
  FieldError,
  type FormState,
  invalid,
  SelectField,
  TextAreaField,
  ticked,
  typed,
} from '../fields';
import { Csrf, Notices, Page, type PageContext } from '../layout';
import type { Refusal } from '../refusal';
import { CampaignStyle } from './campaign-progress';

type Quote = Awaited<ReturnType<Campaigns['quote']>>;

export interface NewCampaignProps {
  ctx: PageContext;
  segments: Awaited<ReturnType<Segments['listSegments']>>['segments'];
  contacts: Awaited<ReturnType<Contacts['search']>>['contacts'];
  /** The form as typed (quoted or refused); a fresh one otherwise. */
  form: FormState;
  /** The quote of what was typed, with the key its confirmation is sent with. */
  quoted?: { quote: Quote; key: string } | undefined;
  error?: Refusal | undefined;
}

/**
 * Turns the listed placeholders into buttons that insert themselves where the cursor is in the
 * message (without the script they are a list to type from).
 */
const PLACEHOLDER_SCRIPT = `{const m=document.getElementById('c-message');for(const el of document.querySelectorAll('[data-placeholder]')){const b=document.createElement('button');b.type='button';b.className='secondary';b.textContent=el.textContent;b.setAttribute('aria-label',el.dataset.placeholder);b.addEventListener('click',()=>{const s=m.selectionStart??m.value.length;m.setRangeText(el.textContent,s,m.selectionEnd??s,'end');m.focus()});el.replaceWith(b)}}`;

/** The form's fields again, hidden: what the confirmation creates is exactly what was quoted. */
function Hidden({ form }: { form: FormState }) {
  const names = ['name', 'message', 'audience', 'segment_id', 'sender_id', 'traffic_class'];
  return (
    <>
      {names.map((n) => (
        <input type="hidden" name={n} value={typed(form, n)} />
      ))}
      {ticked(form, 'contact_ids', []).map((id) => (
        <input type="hidden" name="contact_ids" value={id} />
      ))}
    </>
  );
}

/** What the campaign would send and cost, its first three texts, and the button that creates it. */
function QuotePanel({
  ctx,
  form,
  quoted: { quote, key },
}: {
  ctx: PageContext;
  form: FormState;
  quoted: { quote: Quote; key: string };
}) {
  const { t, fmt } = ctx;
  return (
    <section class="panel" id="quote" aria-labelledby="quote-title">
      <h2 id="quote-title">{t('campaigns.quote')}</h2>
      <dl>
        <dt>{t('campaigns.recipients')}</dt>
        <dd data-quote="recipients">{fmt.number(quote.recipients)}</dd>
        <dt>{t('campaigns.segments')}</dt>
        <dd data-quote="segments">{fmt.number(quote.segments)}</dd>
        <dt>{t('common.cost')}</dt>
        <dd data-quote="cost">{fmt.money(quote.cost, quote.currency)}</dd>
        <dt>{t('campaigns.balance')}</dt>
        <dd>{fmt.money(quote.balance, quote.currency)}</dd>
        <dt>{t('status.suppressed')}</dt>
        <dd data-quote="suppressed">{fmt.number(quote.excluded.opted_out)}</dd>
        <dt>{t('campaigns.leftOut')}</dt>
        <dd>
          {t('campaigns.leftOutCounts', {
            inactive: quote.excluded.inactive,
            duplicates: quote.excluded.duplicates,
          })}
        </dd>
      </dl>
      <h3>{t('campaigns.previews')}</h3>
      <ol class="previews">
        {quote.sample.map((s) => (
          <li data-preview>
            <blockquote>{s.message}</blockquote>
            <span class="muted">
              {t('campaigns.previewOf', {
                recipients: t.count('recipient', s.recipients),
                segments: t.count('segment', s.segments),
                encoding: s.encoding,
              })}
            </span>
          </li>
        ))}
      </ol>
      {quote.texts > quote.sample.length ? (
        <p class="muted">{t('campaigns.moreTexts', { n: quote.texts - quote.sample.length })}</p>
      ) : null}
      {quote.balance_sufficient ? (
        <form method="post" action={`${ctx.root}/campaigns`}>
          <Csrf ctx={ctx} />
          <Hidden form={form} />
          <input type="hidden" name="idempotency_key" value={key} />
          <button type="submit">
            {t('campaigns.confirm', { cost: fmt.money(quote.cost, quote.currency) })}
          </button>
        </form>
      ) : (
        <p class="notice error" role="alert">
          {t('campaigns.tooLittle')}
        </p>
      )}
    </section>
  );
}

/** A new campaign: its audience (a segment, or chosen contacts), its text with placeholders, then its quote. */
export function NewCampaignPage(p: NewCampaignProps) {
  const { ctx, form } = p;
  const { t } = ctx;
  const audience = typed(form, 'audience', p.segments.length ? 'segment' : 'contacts');
  const chosen = ticked(form, 'contact_ids', []);
  return (
    <Page ctx={ctx} title={t('campaigns.new')} current="/campaigns">
      <CampaignStyle ctx={ctx} />
      <p>
        <a href={`${ctx.root}/campaigns/`}>{t('campaigns.back')}</a>
      </p>
      <Notices error={p.error} />
      <section class="panel">
        <form method="post" action={`${ctx.root}/campaigns/new`} class="fields">
          <Csrf ctx={ctx} />
          <Field
            form={form}
            name="name"
            id="c-name"
            label={t('common.name')}
            attributes={{ required: true, maxlength: 100 }}
          />
          <SelectField
            form={form}
            name="traffic_class"
            id="c-class"
            label={t('campaigns.class')}
            start="transactional"
            options={TRAFFIC_CLASSES.map((c) => ({ value: c, label: t(`class.${c}`) }))}
          />
          <Field
            form={form}
            name="sender_id"
            id="c-sender"
            label={t('campaigns.senderOptional')}
            attributes={{ maxlength: 11 }}
          />
          <fieldset
            class={`field wide${form.errors.audience ? ' invalid' : ''}`}
            {...invalid(form, 'audience', 'c-audience')}
          >
            <legend>{t('campaigns.audience')}</legend>
            <label>
              <input type="radio" name="audience" value="segment" checked={audience === 'segment'} />{' '}
              {t('campaigns.toSegment')}
            </label>
            <select id="c-segment" name="segment_id" aria-label={t('campaigns.segment')}>
              {p.segments.map((s) => (
                <option value={s.id} selected={s.id === typed(form, 'segment_id')}>
                  {t('campaigns.segmentOption', { name: s.name, n: s.contact_count })}
                </option>
              ))}
            </select>
            <label>
              <input type="radio" name="audience" value="contacts" checked={audience === 'contacts'} />{' '}
              {t('campaigns.toContacts')}
            </label>
            {p.contacts.length === 0 ? (
              <p class="muted">{t('contacts.none')}</p>
            ) : (
              <fieldset class="choices">
                <legend class="hint">{t('campaigns.contactsHint', { n: p.contacts.length })}</legend>
                {p.contacts.map((c) => (
                  <label>
                    <input type="checkbox" name="contact_ids" value={c.id} checked={chosen.includes(c.id)} />{' '}
                    {c.name} <span class="mono muted">{c.phone_number}</span>
                  </label>
                ))}
              </fieldset>
            )}
            <FieldError form={form} name="audience" id="c-audience" />
            <FieldError form={form} name="contact_ids" id="c-contacts" />
          </fieldset>
          <TextAreaField
            form={form}
            name="message"
            id="c-message"
            label={t('common.message')}
            attributes={{ required: true, rows: 4 }}
          />
          <div class="field wide">
            <p class="hint" id="placeholders-hint">
              {t('campaigns.placeholdersHint', { example: '{first_name|mteja}' })}
            </p>
            <ul class="placeholders" aria-describedby="placeholders-hint">
              {TEMPLATE_FIELDS.map((f) => (
                <li>
                  <code data-placeholder={t('campaigns.insert', { field: `{${f}}` })}>{`{${f}}`}</code>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <button type="submit">{t('campaigns.preview')}</button>
          </div>
        </form>
      </section>
      {p.quoted ? <QuotePanel ctx={ctx} form={form} quoted={p.quoted} /> : null}
      <p class="muted">{t('campaigns.chargedHint')}</p>
      <script nonce={ctx.nonce}>{raw(PLACEHOLDER_SCRIPT)}</script>
    </Page>
  );
}

/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { LANGUAGES } from '../domain/language';
import { Field, type FormState } from './fields';
import type { MessageKey } from './i18n/en';
import type { Formats } from './i18n/format';
import type { Translator } from './i18n/translate';
import type { Refusal } from './refusal';
import { STYLE } from './style';

export const NAV = [
  { path: '', label: 'nav.overview' },
  { path: '/send', label: 'nav.send' },
  { path: '/messages', label: 'nav.messages' },
  { path: '/usage', label: 'nav.usage' },
  { path: '/keys', label: 'nav.keys' },
  { path: '/sender-ids', label: 'nav.senderIds' },
  { path: '/webhooks', label: 'nav.webhooks' },
  { path: '/inbox', label: 'nav.inbox' },
  { path: '/contacts', label: 'nav.contacts' },
  { path: '/segments', label: 'nav.segments' },
  { path: '/campaigns', label: 'nav.campaigns' },
  { path: '/opt-outs', label: 'nav.optOuts' },
  { path: '/activity', label: 'nav.activity' },
  { path: '/settings', label: 'nav.settings' },
] as const satisfies readonly { path: string; label: MessageKey }[];

export type NavPath = (typeof NAV)[number]['path'];

/** What every page needs: where the dashboard is mounted, the session's form token, the script nonce, its language. */
export interface PageContext {
  root: string;
  /** The session's form token (empty before signing in). */
  csrf: string;
  nonce: string;
  /** This page's path: where the language switch comes back to. */
  path: string;
  /** The page's texts, in the session's language. */
  t: Translator;
  /** Numbers, money and times in that language, times in the account's time zone. */
  fmt: Formats;
}

/**
 * The one script: copy buttons. `data-copy` names the element whose text or value to copy,
 * `data-copy-text` is the text itself; the button then says `data-copied`.
 */
const COPY_SCRIPT = `for(const b of document.querySelectorAll('[data-copy],[data-copy-text]'))b.addEventListener('click',async()=>{const t=b.dataset.copy&&document.getElementById(b.dataset.copy);const v=t?t.value??t.textContent:b.dataset.copyText;try{await navigator.clipboard.writeText(v)}catch{t?.select?.();document.execCommand('copy')}b.textContent=b.dataset.copied});`;

/** The tab's icon: signal bars on the header's blue, inline (the pages load nothing from elsewhere). */
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='#0d2a45'/><path d='M7 24h4v-6H7zm7 0h4V13h-4zm7 0h4V7h-4z' fill='#7cc4ff'/></svg>",
)}`;

export function Document({
  ctx,
  title,
  refresh,
  children,
}: {
  ctx: PageContext;
  title: string;
  /** Seconds after which the page reloads itself (a page that is still changing), if any. */
  refresh?: number | undefined;
  children: Child;
}) {
  return (
    <html lang={ctx.t.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        {refresh === undefined ? null : <meta http-equiv="refresh" content={String(refresh)} />}
        <title>{`${title} · Mifumo`}</title>
        <link rel="icon" href={FAVICON} />
        <style nonce={ctx.nonce}>{raw(STYLE)}</style>
      </head>
      <body>
        {children}
        <script nonce={ctx.nonce}>{raw(COPY_SCRIPT)}</script>
      </body>
    </html>
  );
}

/** Buttons that show the dashboard in each other language, coming back to this page. */
function LanguageSwitch({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <form method="post" action={`${ctx.root}/language`} class="lang" aria-label={t('layout.language')}>
      <Csrf ctx={ctx} />
      <input type="hidden" name="next" value={ctx.path} />
      {LANGUAGES.filter((l) => l !== t.lang).map((l) => (
        <button
          type="submit"
          name="language"
          value={l}
          lang={l}
          class="secondary"
          title={t('layout.switchTo', { language: t(`language.${l}`) })}
        >
          {t(`language.${l}`)}
        </button>
      ))}
    </form>
  );
}

/** A signed-in page: the navigation, the language switch, a sign-out button, the page's heading and content. */
export function Page({
  ctx,
  title,
  heading,
  current,
  refresh,
  children,
}: {
  ctx: PageContext;
  title: string;
  /** Seconds after which the page reloads itself, while what it shows is still changing. */
  refresh?: number | undefined;
  /** The page's heading, when it is more than its title's text (an id with its copy button). */
  heading?: Child;
  current: NavPath | null;
  children: Child;
}) {
  const { t } = ctx;
  return (
    <Document ctx={ctx} title={title} refresh={refresh}>
      <a class="skip" href="#main">
        {t('layout.skip')}
      </a>
      <header>
        <a class="brand" href={`${ctx.root}/`}>
          Mifumo
        </a>
        <nav aria-label={t('layout.nav')}>
          <ul>
            {NAV.map((n) => (
              <li>
                <a href={`${ctx.root}${n.path}/`} aria-current={n.path === current ? 'page' : undefined}>
                  {t(n.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <a href={`${ctx.root.replace(/\/dashboard$/, '')}/documentation/`} style="color:#dbe9f7">
          {t('layout.apiDocs')}
        </a>
        <div class="session">
          <LanguageSwitch ctx={ctx} />
          <form method="post" action={`${ctx.root}/sign-out`}>
            <Csrf ctx={ctx} />
            <button type="submit" class="secondary">
              {t('layout.signOut')}
            </button>
          </form>
        </div>
      </header>
      <main id="main">
        <h1>{heading ?? title}</h1>
        {children}
      </main>
    </Document>
  );
}

export const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrf} />;

export function Notice({ kind, children }: { kind: 'ok' | 'error'; children: Child }) {
  return (
    <div class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

/** A refusal (its sentence, what was wrong and its code) and a notice after a change, whichever the page has. */
export function Notices({ error, notice }: { error?: Refusal | undefined; notice?: string | undefined }) {
  return (
    <>
      {error ? (
        <Notice kind="error">
          <strong>{error.summary}</strong> {`${error.message} (${error.code})`}
        </Notice>
      ) : null}
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
    </>
  );
}

/** Previous/next links of a paginated listing; `href(page)` keeps the listing's filters. */
export function Pager({
  ctx: { t },
  of: { page, total_pages: pages, total },
  href,
}: {
  ctx: PageContext;
  /** A listing's `pagination`: its page, how many pages, how many rows in all. */
  of: { page: number; total_pages: number; total: number };
  href: (page: number) => string;
}) {
  return (
    <nav class="pager" aria-label={t('pager.label')}>
      {page > 1 ? <a href={href(page - 1)}>{t('pager.previous')}</a> : null}
      <span class="muted">{t('pager.position', { page, pages: Math.max(1, pages), total })}</span>
      {page < pages ? <a href={href(page + 1)}>{t('pager.next')}</a> : null}
    </nav>
  );
}

/** A form's required `phone_number` field, in any form a send takes. */
export function PhoneNumberField({ ctx, form, id }: { ctx: PageContext; form: FormState; id: string }) {
  return (
    <Field
      form={form}
      name="phone_number"
      id={id}
      label={ctx.t('common.phoneNumber')}
      attributes={{ required: true, inputmode: 'tel', placeholder: '0754 123 456' }}
    />
  );
}

/**
 * A listing: column headings (`{ num }` right-aligns a number column), rows as children, scrolling
 * sideways on a phone; `stack`ed, each row is a card on a phone instead (its cells need `data-label`).
 */
export function Table({
  columns,
  caption,
  stack,
  children,
}: {
  columns: (string | { num: string })[];
  caption?: string;
  stack?: boolean;
  children: Child;
}) {
  return (
    <div class="scroll">
      <table class={stack ? 'stack' : undefined}>
        {caption ? (
          <caption style="text-align:left;font-weight:600;padding:.4rem .6rem">{caption}</caption>
        ) : null}
        <thead>
          <tr>
            {columns.map((c) =>
              typeof c === 'string' ? (
                <th scope="col">{c}</th>
              ) : (
                <th scope="col" class="num">
                  {c.num}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A GET form that narrows a listing: its fields as children, then its submit button. */
export function FilterForm({
  ctx: { t },
  label,
  button,
  children,
}: {
  ctx: PageContext;
  label: string;
  button: 'search' | 'filter';
  children: Child;
}) {
  return (
    <form method="get" class="grid" aria-label={label}>
      {children}
      <div>
        <button type="submit" class={button === 'filter' ? 'secondary' : undefined}>
          {t(button === 'search' ? 'common.search' : 'common.filter')}
        </button>
      </div>
    </form>
  );
}

/** A one-button form that POSTs to `action` with the session's token (revoke, re-send). */
export function PostButton({
  ctx,
  action,
  label,
  describedAs,
  kind,
}: {
  ctx: PageContext;
  action: string;
  label: string;
  /** The button's accessible name, naming what it acts on. */
  describedAs: string;
  kind: 'danger' | 'secondary';
}) {
  return (
    <form method="post" action={action} class="inline">
      <Csrf ctx={ctx} />
      <button type="submit" class={kind} aria-label={describedAs}>
        {label}
      </button>
    </form>
  );
}

/** A status in words (the catalogue's), styled by its code. */
export const Status = ({ ctx, status }: { ctx: PageContext; status: string }) => (
  <span class={`status ${status}`}>{ctx.t.maybe(`status.${status}`) ?? status}</span>
);

/** An instant in the account's time zone with its offset, the exact UTC instant in its `datetime`. */
export const Time = ({ ctx, at }: { ctx: PageContext; at: string | null | undefined }) =>
  at ? <time datetime={at}>{ctx.fmt.when(at)}</time> : <>—</>;

/**
 * An id as `msg_…a1B2c3` (its type and its last, random, characters: the first ones are its time, the
 * same for ids made together), whole on hover, with a copy button; a link to `href` if given.
 */
export function ShortId({ ctx: { t }, id, href }: { ctx: PageContext; id: string; href?: string }) {
  const m = /^([a-z]+_)\w{12,}$/.exec(id);
  const short = m ? `${m[1]}…${id.slice(-6)}` : id;
  const code = <code title={id}>{short}</code>;
  return (
    <span class="id">
      {href ? <a href={href}>{code}</a> : code}
      {short === id ? null : (
        <button
          type="button"
          class="copy"
          data-copy-text={id}
          data-copied="✓"
          aria-label={t('common.copyId', { id })}
          title={t('common.copyId', { id })}
        >
          <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true">
            <rect x="5.5" y="5.5" width="8" height="8" rx="1.5" fill="none" stroke="currentColor" />
            <path
              d="M10.5 3.5v-1a1 1 0 0 0-1-1h-6a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h1"
              fill="none"
              stroke="currentColor"
            />
          </svg>
        </button>
      )}
    </span>
  );
}

/** Which time zone a page's times are in. */
export const ZoneNote = ({ ctx }: { ctx: PageContext }) => (
  <p class="muted" data-zone={ctx.fmt.zone}>
    {ctx.t('zone.note', { zone: ctx.fmt.zone })}
  </p>
);

/** A query string of the set values (for links that keep a listing's filters). */
export function query(values: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

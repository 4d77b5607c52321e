/** @jsxRuntime automatic */
/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { STYLE } from './style';

export const NAV = [
  { path: '', label: 'Overview' },
  { path: '/messages', label: 'Messages' },
  { path: '/keys', label: 'API keys' },
  { path: '/webhooks', label: 'Webhooks' },
  { path: '/inbox', label: 'Inbox' },
  { path: '/contacts', label: 'Contacts' },
  { path: '/opt-outs', label: 'Opt-outs' },
  { path: '/activity', label: 'Activity' },
] as const;

export type NavPath = (typeof NAV)[number]['path'];

/** What every page needs: where the dashboard is mounted, the session's form token, the script nonce. */
export interface PageContext {
  root: string;
  csrf: string;
  nonce: string;
}

/** The one script: copy buttons (`data-copy` names the element whose text or value to copy). */
const COPY_SCRIPT = `for(const b of document.querySelectorAll('[data-copy]'))b.addEventListener('click',async()=>{const t=document.getElementById(b.dataset.copy);const v=t.value??t.textContent;try{await navigator.clipboard.writeText(v)}catch{t.select?.();document.execCommand('copy')}b.textContent='Copied'});`;

export function Document({ title, nonce, children }: { title: string; nonce: string; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · Mifumo`}</title>
        <style nonce={nonce}>{raw(STYLE)}</style>
      </head>
      <body>
        {children}
        <script nonce={nonce}>{raw(COPY_SCRIPT)}</script>
      </body>
    </html>
  );
}

/** A signed-in page: the navigation, a sign-out button, the page's heading and content. */
export function Page({
  ctx,
  title,
  current,
  children,
}: {
  ctx: PageContext;
  title: string;
  current: NavPath | null;
  children: Child;
}) {
  return (
    <Document title={title} nonce={ctx.nonce}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <a class="brand" href={`${ctx.root}/`}>
          Mifumo
        </a>
        <nav aria-label="Dashboard">
          <ul>
            {NAV.map((n) => (
              <li>
                <a href={`${ctx.root}${n.path}/`} aria-current={n.path === current ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <a href={`${ctx.root.replace(/\/dashboard$/, '')}/documentation/`} style="color:#dbe9f7">
          API docs
        </a>
        <form method="post" action={`${ctx.root}/sign-out`}>
          <Csrf ctx={ctx} />
          <button type="submit" class="secondary">
            Sign out
          </button>
        </form>
      </header>
      <main id="main">
        <h1>{title}</h1>
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

/** Previous/next links of a paginated listing; `href(page)` keeps the listing's filters. */
export function Pager({
  of: { page, total_pages: pages, total },
  href,
}: {
  /** A listing's `pagination`: its page, how many pages, how many rows in all. */
  of: { page: number; total_pages: number; total: number };
  href: (page: number) => string;
}) {
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? <a href={href(page - 1)}>← Previous</a> : null}
      <span class="muted">{`Page ${page} of ${Math.max(1, pages)} · ${total} in all`}</span>
      {page < pages ? <a href={href(page + 1)}>Next →</a> : null}
    </nav>
  );
}

/** A form's required `phone_number` field, in any form a send takes. */
export function PhoneNumberField({ id }: { id: string }) {
  return (
    <div>
      <label for={id}>Phone number</label>
      <input type="text" id={id} name="phone_number" required inputmode="tel" placeholder="0754 123 456" />
    </div>
  );
}

/** A listing: column headings (`{ num }` right-aligns a number column), rows as children, scrolling sideways on a phone. */
export function Table({
  columns,
  caption,
  children,
}: {
  columns: (string | { num: string })[];
  caption?: string;
  children: Child;
}) {
  return (
    <div class="scroll">
      <table>
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
  label,
  button,
  children,
}: {
  label: string;
  button: 'Search' | 'Filter';
  children: Child;
}) {
  return (
    <form method="get" class="grid" aria-label={label}>
      {children}
      <div>
        <button type="submit" class={button === 'Filter' ? 'secondary' : undefined}>
          {button}
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

export const Status = ({ status }: { status: string }) => <span class={`status ${status}`}>{status}</span>;

/** An ISO instant as `YYYY-MM-DD HH:MM:SS UTC`, or a dash. */
export const when = (at: string | null | undefined) =>
  at ? `${at.slice(0, 10)} ${at.slice(11, 19)} UTC` : '—';

/** A time zone's formatter: an ISO instant as `YYYY-MM-DD HH:MM:SS EAT` (the zone's short name), or a dash. */
export function whenIn(zone: string) {
  const format = new Intl.DateTimeFormat('en-TZ', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  });
  return (at: string | null | undefined) => {
    if (!at) return '—';
    const p = Object.fromEntries(format.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.timeZoneName}`;
  };
}

/** `1 message`, `2 messages`. */
export const counted = (n: number, noun: string) =>
  `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

export const money = (amount: number, currency: string) =>
  `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;

/** A query string of the set values (for links that keep a listing's filters). */
export function query(values: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
